using Akka.Actor;
using Netoops.Actors.Dumps;

namespace Netoops.Chaos.Tests.World;

/// <summary>What the desk hears from the coordinator: the truth, or one of the mutants' lies.</summary>
public enum DeskHears
{
    Truth,
    /// <summary>A replay is answered "Sent" at once, before the coordinator has sent anything (the real answer follows and is ignored).</summary>
    ReplaySentEarly,
    /// <summary>A live dump no target took is answered as refused by policy, which is never spooled.</summary>
    UndeliveredAsRefused,
}

/// <summary>
/// Stands in front of one incarnation of the dump coordinator, for the desk and the schedule alike:
/// every request goes on with a relay as its sender, and the relay hears the answer on its way back,
/// so the ledger learns which dump each report (and so each id and each Sent) was for without
/// trusting anything the desk says. <see cref="Outstanding"/> is zero when the coordinator owes no answer.
/// </summary>
/// <param name="hears">The truth, except under a mutant of the desk's side; the ledger always notes the truth.</param>
public sealed class CoordinatorTap(ActorPath path, IActorRefProvider provider, IActorRef coordinator, DumpLedger ledger, Trace trace,
    DeskHears hears) : MinimalActorRef
{
    private int _outstanding;

    public override ActorPath Path { get; } = path;
    public override IActorRefProvider Provider { get; } = provider;
    public int Outstanding => Volatile.Read(ref _outstanding);

    protected override void TellInternal(object message, IActorRef sender)
    {
        var (dump, what) = message switch
        {
            DumpRequested { Replay: { } replay } r => (DumpMark.Of(r.Log), $"replay under {replay.DumpId?.ToString() ?? "a new id"}"),
            DumpRequested r => (DumpMark.Of(r.Log), $"live {r.Reason}"),
            ReserveDumpId => ("an id", "reservation"),
            _ => ("", message.GetType().Name),
        };
        trace.Add($"  coordinator <- {dump} ({what})");
        Interlocked.Increment(ref _outstanding);
        if (hears == DeskHears.ReplaySentEarly && message is DumpRequested { Replay: { } early } request)
            sender.Tell(new DumpReport(0, request.Reason, early.DumpId, 1, null, [new DumpTargetResult("early", DumpTargetOutcome.Sent, 1, 0)]));
        var live = message is DumpRequested { Replay: null };
        coordinator.Tell(message, new Relay(Provider.TempPath(), Provider, this, sender, dump, live));
    }

    /// <summary>Notes the true answer; returns what the asker is told.</summary>
    private object Answered(string dump, object answer, bool live)
    {
        Interlocked.Decrement(ref _outstanding);
        trace.Add($"  coordinator -> {dump}: {Describe(answer)}");
        if (answer is not DumpReport report) return answer;
        ledger.Reported(dump, report);
        return hears == DeskHears.UndeliveredAsRefused && live && !report.Delivered && report.Refused is null
            ? report with { Refused = "taken for a policy refusal", Final = true }
            : report;
    }

    private static string Describe(object answer) => answer switch
    {
        DumpReport { Refused: { } why } => $"refused ({why})",
        DumpReport r => $"id {r.DumpId} of boot {r.Header?.BootId}, " +
                        (r.Targets.Count == 0 ? "no target" : string.Join(", ", r.Targets.Select(t => $"{t.Target} {t.Outcome} {t.Sent}"))),
        DumpIdReserved reserved => $"id {reserved.DumpId} of boot {reserved.BootId}",
        Status.Failure failure => $"failed ({failure.Cause.Message})",
        _ => answer.GetType().Name,
    };

    /// <summary>The sender the coordinator sees: notes the answer, then passes it to whoever asked.</summary>
    private sealed class Relay(ActorPath path, IActorRefProvider provider, CoordinatorTap tap, IActorRef asker, string dump, bool live) : MinimalActorRef
    {
        public override ActorPath Path { get; } = path;
        public override IActorRefProvider Provider { get; } = provider;

        protected override void TellInternal(object message, IActorRef sender)
        {
            asker.Tell(tap.Answered(dump, message, live), sender);
        }
    }
}
