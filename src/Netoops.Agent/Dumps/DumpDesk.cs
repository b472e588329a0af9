using Akka.Actor;
using Akka.Event;
using Netoops.Actors.Dumps;
using Netoops.Actors.Subsystems;
using Netoops.Actors.Targets;
using Netoops.Agent.Hosting;
using Netoops.Agent.Kmsg;
using Netoops.Agent.Machine;
using Netoops.Agent.Management;
using Netoops.Agent.Spool;
using Netoops.Analysis;
using Netoops.Protocol.Packets;

namespace Netoops.Agent.Dumps;

/// <summary>
/// A soft dump of <paramref name="Log"/> (the kmsg actor snapshots its ring on
/// <see cref="RequestSoftDump"/> and sends this). <paramref name="ReplyTo"/> gets the <see cref="DumpSummary"/>.
/// </summary>
public sealed record SoftDumpOf(LogSnapshot Log, IActorRef ReplyTo);

/// <summary>Reply: the last dumps, newest first, as <c>IReadOnlyList&lt;DumpSummary&gt;</c>.</summary>
public sealed record GetRecentDumps
{
    public static readonly GetRecentDumps Instance = new();
}

/// <summary>
/// A dump from elsewhere (a pstore record of the previous boot): spooled first, so that it is
/// durable before its source is removed, then sent. Reply: <see cref="PendingSpooled"/>.
/// </summary>
public sealed record SpoolAndSend(PendingDump Dump);

public sealed record PendingSpooled(long Sequence);

/// <summary>
/// /user/dumps: the agent's side of dumps. Live dumps (a crash report just completed, a soft-dump
/// request) become <see cref="DumpRequested"/> for the dump coordinator; a dump that no target
/// took is spooled. Spooled dumps (and pstore records, which are spooled first) are replayed when
/// a netoops target becomes Enabled, one at a time and oldest first, through the same coordinator:
/// a replay is a <see cref="DumpRequested"/> with a <see cref="DumpReplay"/> (the header of the boot
/// that produced the dump, no policy or rate limit), so its dump_id comes from the one allocator and
/// its packets from the one slicer, rounds and spacing. Nothing is lost: a dump that no target
/// reported Sent is spooled, whatever the reason, and a spool file goes only after a target reported
/// Sent for it. This actor alone uses the spool; its writes, reads and removals run on the thread
/// pool and come back as messages, so an fsync never holds up the mailbox, and each step that
/// depends on the disk (the answer "spooled", the first packet under a recorded id, the next
/// replay after a removal) waits for that message.
/// </summary>
public sealed class DumpDesk : ReceiveActor
{
    /// <summary>Longer than the coordinator's own report deadline: it answers first unless it is gone.</summary>
    public static readonly TimeSpan DefaultCoordinatorTimeout = TimeSpan.FromSeconds(30);
    private const int RecentKept = 16;

    private sealed record LiveReported(PendingDump Dump, DumpReport? Report, string? Failure, IActorRef? ReplyTo);
    private sealed record ReplayReported(SpoolEntry Entry, PendingDump Dump, DumpReport? Report, string? Failure);
    private sealed record IdReserved(SpoolEntry Entry, PendingDump Dump, DumpIdReserved? Reserved, string? Failure);
    // Spool I/O (fsync, rename) runs on the thread pool and comes back as one of these, so the
    // mailbox never waits for the disk; each carries what the desk does next.
    private sealed record LiveSpooled(DumpSummary Summary, IActorRef? ReplyTo, string? Failure);
    private sealed record PendingAdded(SpoolEntry? Entry, IActorRef ReplyTo, string? Failure);
    private sealed record Loaded(SpoolEntry Entry, PendingDump? Dump);
    private sealed record Recorded(SpoolEntry? Entry, PendingDump Dump, string? Failure);
    private sealed record Removed(SpoolEntry Entry, string? Failure);
    private sealed record ResendSpool
    {
        public static readonly ResendSpool Instance = new();
    }

    private readonly IActorRef _coordinator;
    private readonly TimeSpan _coordinatorTimeout;
    private readonly IDeskAsync _async;
    private readonly DumpSpool _spool;
    private readonly MachineFactsProvider _facts;
    private readonly AgentCounters _counters;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<SpoolEntry> _replayQueue = new();
    private readonly LinkedList<DumpSummary> _recent = new();

    /// <summary>The spool entry whose replay the coordinator has; null between replays.</summary>
    private SpoolEntry? _replaying;

    /// <param name="async">Where spool I/O runs and the coordinator's answers come back; null (production)
    /// is the thread pool (<see cref="ThreadPoolDeskAsync"/>).</param>
    public DumpDesk(IActorRef coordinator, DumpSpool spool, MachineFactsProvider facts, AgentCounters counters, TimeSpan? coordinatorTimeout = null,
        IDeskAsync? async = null)
    {
        _coordinator = coordinator;
        _coordinatorTimeout = coordinatorTimeout ?? DefaultCoordinatorTimeout;
        _async = async ?? ThreadPoolDeskAsync.Instance;
        _spool = spool;
        _facts = facts;
        _counters = counters;

        Receive<CrashDetected>(OnCrash);
        Receive<SoftDumpOf>(s => Live(Pending(DumpCause.Soft, s.Log, null, "soft"), s.ReplyTo));
        Receive<LiveReported>(OnLiveReported);
        Receive<SpoolAndSend>(OnSpoolAndSend);
        Receive<GetRecentDumps>(_ => Sender.Tell((IReadOnlyList<DumpSummary>)_recent.ToList()));
        Receive<TargetStateChanged>(OnTargetStateChanged);
        Receive<ResendSpool>(_ => QueueSpool());
        Receive<ReplayReported>(OnReplayReported);
        Receive<IdReserved>(OnIdReserved);
        Receive<LiveSpooled>(OnLiveSpooled);
        Receive<PendingAdded>(OnPendingAdded);
        Receive<Loaded>(OnLoaded);
        Receive<Recorded>(OnRecorded);
        Receive<Removed>(OnRemoved);
    }

    public static Props Props(IActorRef coordinator, DumpSpool spool, MachineFactsProvider facts, AgentCounters counters,
        TimeSpan? coordinatorTimeout = null, IDeskAsync? async = null)
        => Akka.Actor.Props.Create(() => new DumpDesk(coordinator, spool, facts, counters, coordinatorTimeout, async));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(TargetStateChanged));
        UpdateSpoolCounters();
        // Dumps left by a previous run wait for a target; one may already be enabled.
        if (_spool.Entries.Count > 0) Self.Tell(ResendSpool.Instance);
    }

    // ---- live dumps: through the coordinator --------------------------------------------------

    private void OnCrash(CrashDetected crash)
    {
        var cause = crash.Report.Kind switch
        {
            CrashKind.Panic => DumpCause.Panic,
            CrashKind.Warn => DumpCause.Warn,
            CrashKind.Oom => DumpCause.Oom,
            _ => DumpCause.Oops,
        };
        Live(Pending(cause, crash.Log, RegistersOf(crash.Report.Registers), "kmsg"), null);
    }

    private void Live(PendingDump dump, IActorRef? replyTo)
    {
        AskCoordinator<DumpReport>(Request(dump, replay: null)).PipeTo(Self,
            success: report => new LiveReported(dump, report, null, replyTo),
            failure: e => new LiveReported(dump, null, e.Message, replyTo));
    }

    private void OnLiveReported(LiveReported live)
    {
        var report = live.Report;
        // Refused by policy (reason not dumped, rate limit): a decision, not a loss, so not spooled.
        // Anything else that no target reported Sent (no target, all failed or dropped, the
        // coordinator silent or gone) is spooled now, with the header the coordinator stamped, so
        // the replay carries this boot's boot_id and user blob whenever it happens.
        var spool = report?.Delivered != true && report?.Final != true;
        _counters.Add(report?.Delivered == true ? "dumps_sent" : report?.Refused is not null ? "dumps_refused" : "dumps_not_taken");

        var outcomes = report?.Targets.Select(t => new TargetDelivery(t.Target, t.Outcome.ToString(), t.Sent, t.Failed)).ToList()
                       ?? [];
        var summary = new DumpSummary(report?.DumpId ?? 0, live.Dump.Cause.ToString(), live.Dump.Origin,
            DateTimeOffset.UtcNow, outcomes, spool) { Refused = report?.Refused ?? live.Failure };
        if (!spool)
        {
            Remember(summary);
            live.ReplyTo?.Tell(summary);
            return;
        }
        var dump = report?.Header is { } header
            ? live.Dump with { BootId = header.BootId, UserBlob = header.UserBlobText, DumpId = header.DumpId }
            : live.Dump;
        // The answer waits for the file: "spooled" is said only once it is on disk.
        _async.Run(() => _spool.Add(dump)).PipeTo(Self,
            success: _ => new LiveSpooled(summary, live.ReplyTo, null),
            failure: e => new LiveSpooled(summary, live.ReplyTo, e.Message));
    }

    private void OnLiveSpooled(LiveSpooled spooled)
    {
        var summary = spooled.Summary;
        if (spooled.Failure is null) _counters.Add("dumps_spooled");
        else
        {
            _log.Error("dumps: cannot spool dump {0}: {1}", summary.DumpId, spooled.Failure);
            summary = summary with { Spooled = false, Refused = $"not delivered and cannot spool: {spooled.Failure}" };
        }
        UpdateSpoolCounters();
        Remember(summary);
        spooled.ReplyTo?.Tell(summary);
    }

    // ---- replays: spooled dumps with their own boot's header ----------------------------------

    private void OnSpoolAndSend(SpoolAndSend request)
    {
        var replyTo = Sender;
        _async.Run(() => _spool.Add(request.Dump)).PipeTo(Self,
            success: entry => new PendingAdded(entry, replyTo, null),
            failure: e => new PendingAdded(null, replyTo, e.Message));
    }

    /// <summary>Only a durable record is acknowledged: the caller removes its source after this.</summary>
    private void OnPendingAdded(PendingAdded added)
    {
        UpdateSpoolCounters();
        if (added.Entry is null)
        {
            added.ReplyTo.Tell(new Status.Failure(new IOException($"cannot spool: {added.Failure}")));
            return;
        }
        added.ReplyTo.Tell(new PendingSpooled(added.Entry.Sequence));
        QueueSpool();
    }

    private void OnTargetStateChanged(TargetStateChanged changed)
    {
        if (changed.Subsystem == "netoops" && changed.To == TargetState.Enabled) QueueSpool();
    }

    private void QueueSpool()
    {
        if (_replaying is not null || _replayQueue.Count > 0) return; // a replay round is under way
        foreach (var entry in _spool.Entries) _replayQueue.Enqueue(entry);
        ReplayNext();
    }

    private void ReplayNext()
    {
        var entries = _spool.Entries;
        while (_replayQueue.TryDequeue(out var entry))
        {
            if (!entries.Contains(entry)) continue; // dropped to stay in bounds meanwhile
            _replaying = entry;
            _async.Run(() => _spool.Load(entry)).PipeTo(Self,
                success: dump => new Loaded(entry, dump),
                failure: _ => new Loaded(entry, null));
            return;
        }
    }

    private void OnLoaded(Loaded loaded)
    {
        if (loaded.Dump is not { } dump) // unreadable: set aside by the spool, counted
        {
            _replaying = null;
            UpdateSpoolCounters();
            ReplayNext();
            return;
        }
        if (dump.DumpId is null || dump.BootId is null)
        {
            // No id yet (pstore record, a live dump the coordinator never answered for, a file
            // of an earlier version): the coordinator hands one out, and it is on disk before
            // the first packet under it leaves, so every resend after a crash reuses it.
            AskCoordinator<DumpIdReserved>(new ReserveDumpId(dump.BootId)).PipeTo(Self,
                success: reserved => new IdReserved(loaded.Entry, dump, reserved, null),
                failure: e => new IdReserved(loaded.Entry, dump, null, e.Message));
            return;
        }
        Send(loaded.Entry, dump);
    }

    private void OnIdReserved(IdReserved reserved)
    {
        if (reserved.Reserved is not { } id)
        {
            EndRound(reserved.Entry, reserved.Dump, $"no dump id: {reserved.Failure}");
            return;
        }
        var dump = reserved.Dump with { BootId = id.BootId, DumpId = id.DumpId };
        _async.Run(() => _spool.Rewrite(reserved.Entry, dump)).PipeTo(Self,
            success: entry => new Recorded(entry, dump, null),
            failure: e => new Recorded(null, dump, e.Message));
    }

    /// <summary>The id is on disk: only now may a packet carry it.</summary>
    private void OnRecorded(Recorded recorded)
    {
        if (recorded.Failure is not null)
        {
            EndRound(_replaying!, recorded.Dump, $"cannot record the dump id: {recorded.Failure}");
            return;
        }
        if (recorded.Entry is not { } entry)
        {
            _replaying = null; // dropped to stay in bounds meanwhile
            ReplayNext();
            return;
        }
        _replaying = entry;
        Send(entry, recorded.Dump);
    }

    private void Send(SpoolEntry entry, PendingDump dump)
    {
        var replay = new DumpReplay(dump.BootId, dump.KernelRelease, dump.UserBlob, dump.DumpId);
        AskCoordinator<DumpReport>(Request(dump, replay)).PipeTo(Self,
            success: report => new ReplayReported(entry, dump, report, null),
            failure: e => new ReplayReported(entry, dump, null, e.Message));
    }

    /// <summary>A replay that could not even start: it stays on disk and the round waits for the next enable.</summary>
    private void EndRound(SpoolEntry entry, PendingDump dump, string failure)
    {
        _replaying = null;
        _replayQueue.Clear();
        Remember(new DumpSummary(0, dump.Cause.ToString(), dump.Origin + " (spooled)", DateTimeOffset.UtcNow, [], true)
            { Refused = failure });
    }

    private void OnReplayReported(ReplayReported replayed)
    {
        var report = replayed.Report;
        var taken = report?.Delivered == true;
        if (taken)
        {
            // A target reported Sent: only now may the file go. The round stays under way
            // (_replaying set) until it is gone, so an enable meanwhile does not send it again.
            _async.Run(() =>
            {
                _spool.Remove(replayed.Entry);
                return true;
            }).PipeTo(Self,
                success: _ => new Removed(replayed.Entry, null),
                failure: e => new Removed(replayed.Entry, e.Message));
        }
        else
        {
            _replaying = null;
            if (report?.Final != true) _replayQueue.Clear(); // no target took it: the rest waits for the next enable
        }
        // A final refusal (a header that cannot be encoded) stays on disk, bounded by the spool's
        // limits, and the round goes on with the next dump.
        UpdateSpoolCounters();

        var outcomes = report?.Targets.Select(t => new TargetDelivery(t.Target, t.Outcome.ToString(), t.Sent, t.Failed)).ToList() ?? [];
        Remember(new DumpSummary(report?.DumpId ?? 0, replayed.Dump.Cause.ToString(), replayed.Dump.Origin + " (spooled)",
            DateTimeOffset.UtcNow, outcomes, !taken) { Refused = report?.Refused ?? replayed.Failure });
        if (!taken) ReplayNext();
    }

    private void OnRemoved(Removed removed)
    {
        _replaying = null;
        if (removed.Failure is null) _counters.Add("dumps_replayed");
        else _log.Error("dumps: cannot remove spool file {0}: {1}", removed.Entry.Path, removed.Failure);
        UpdateSpoolCounters();
        ReplayNext();
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Task<T> AskCoordinator<T>(object message) => _async.Answer(_coordinator.Ask<T>(message, _coordinatorTimeout));

    private PendingDump Pending(DumpCause cause, LogSnapshot log, ulong[]? registers, string origin)
    {
        var facts = _facts.Current;
        return new PendingDump(cause, log.Older.ToArray(), log.Newer.ToArray(), registers,
            facts.Cpu.Vendor, facts.Cpu.Family, facts.Cpu.Model, facts.Cpu.Stepping,
            facts.KernelRelease, null, null, origin, DateTimeOffset.UtcNow);
    }

    private static ulong[]? RegistersOf(Netoops.Analysis.Registers? registers)
        => registers is null ? null : registers.Named().Select(r => r.Value).ToArray();

    private static X86Registers Registers(ulong[] values)
    {
        var registers = new X86Registers();
        for (var i = 0; i < Math.Min(values.Length, X86Registers.Count); i++) registers[(X86Register)i] = values[i];
        return registers;
    }

    private static DumpRequested Request(PendingDump dump, DumpReplay? replay) =>
        new(ReasonOf(dump.Cause), new LogSnapshot(dump.Older, dump.Newer),
            dump.Registers is null ? null : Registers(dump.Registers), Cpu(dump), replay);

    private static X86Cpu Cpu(PendingDump dump) => new(dump.CpuVendor, dump.CpuFamily, dump.CpuModel, dump.CpuStepping);

    private static DumpReason ReasonOf(DumpCause cause) => cause switch
    {
        DumpCause.Panic => DumpReason.Panic,
        DumpCause.Soft => DumpReason.Soft,
        DumpCause.Oom => DumpReason.Oom,
        DumpCause.Warn => DumpReason.Warn,
        _ => DumpReason.Oops,
    };

    private void Remember(DumpSummary summary)
    {
        _recent.AddFirst(summary);
        if (_recent.Count > RecentKept) _recent.RemoveLast();
        _log.Info("dumps: {0} dump {1} from {2}: {3}", summary.Cause, summary.DumpId, summary.Origin,
            summary.Refused ?? (summary.Spooled ? "no target took it, spooled"
                : string.Join(", ", summary.Targets.Select(o => $"{o.Target} {o.Outcome} {o.Sent}"))));
    }

    private void UpdateSpoolCounters()
    {
        _counters.Set("spool_dumps", _spool.Entries.Count);
        _counters.Set("spool_dropped", _spool.Dropped);
        _counters.Set("spool_unreadable", _spool.Unreadable);
    }
}
