using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Netoops.Actors.Dumps;
using Netoops.Actors.Linux;
using Netoops.Actors.Subsystems;
using Netoops.Actors.Targets;
using Netoops.Agent.Dumps;
using Netoops.Agent.Hosting;
using Netoops.Agent.Machine;
using Netoops.Agent.Management;
using Netoops.Agent.Spool;

namespace Netoops.Agent.Tests.Dumps;

/// <summary>
/// Nothing lost: the desk with the real coordinator and the real netoops subsystem (no target, or a
/// silent one), real spool files. A dump that no target reported Sent is on disk by the time the
/// desk answers; only a policy refusal is not kept.
/// </summary>
public sealed class DumpDeskTests : DeskTestKit
{
    private static readonly LogSnapshot Kernel = LogSnapshot.Of(Encoding.ASCII.GetBytes("[    5.000000] all is well\n"));

    public DumpDeskTests() : base(TimeSpan.FromSeconds(10)) { }

    private IActorRef Coordinator(DumpPolicy? policy = null, IActorRef? netoops = null) =>
        Sys.ActorOf(DumpCoordinator.Props(DumpCoordinatorOptions.For(netoops ?? Netoops, "6.1.0-test") with
        {
            Policy = policy ?? DumpPolicy.Default,
            ReportDeadline = TimeSpan.FromMilliseconds(300),
        }));

    private DumpSummary SoftDump(IActorRef desk)
    {
        desk.Tell(new SoftDumpOf(Kernel, TestActor));
        return ExpectMsg<DumpSummary>();
    }

    [Fact]
    public void A_dump_with_no_target_enabled_is_spooled_with_the_boot_id_it_was_stamped_with()
    {
        var summary = SoftDump(Desk(Coordinator()));
        Assert.True(summary.Spooled);
        var entry = Assert.Single(Spool.Entries);
        Assert.Equal(77u, Spool.Load(entry)!.BootId);
    }

    [Fact]
    public void A_dump_is_spooled_when_the_netoops_subsystem_does_not_answer_the_coordinator()
    {
        var silent = CreateTestProbe(); // the coordinator asks it for the settings; it never answers
        var summary = SoftDump(Desk(Coordinator(netoops: silent)));
        Assert.True(summary.Spooled, summary.Refused);
        Assert.Single(Spool.Entries);
    }

    [Fact]
    public void A_dump_is_spooled_when_the_ask_to_the_coordinator_times_out()
    {
        var gone = CreateTestProbe(); // stands for a coordinator that never answers
        var summary = SoftDump(Desk(gone, TimeSpan.FromMilliseconds(300)));
        Assert.True(summary.Spooled);
        Assert.NotNull(summary.Refused);
        Assert.Single(Spool.Entries);
    }

    [Fact]
    public void A_dump_refused_by_the_policy_is_a_decision_and_is_not_spooled()
    {
        var policy = DumpPolicy.Default with { Reasons = new HashSet<DumpReason> { DumpReason.Oops } };
        var summary = SoftDump(Desk(Coordinator(policy)));
        Assert.False(summary.Spooled);
        Assert.Contains("not enabled", summary.Refused);
        Assert.Empty(Spool.Entries); // the desk answers after it spooled, so this is no race
    }

    [Fact]
    public void A_replay_no_target_reported_sent_for_stays_in_the_spool()
    {
        var first = Desk(Coordinator());
        SoftDump(first);
        Watch(first);
        first.Tell(PoisonPill.Instance);
        ExpectTerminated(first);

        // A desk that starts on a non-empty spool replays it at once; no target is enabled, so none reports Sent.
        var desk = Desk(Coordinator());
        AwaitCondition(() =>
        {
            desk.Tell(GetRecentDumps.Instance, TestActor);
            return ExpectMsg<IReadOnlyList<DumpSummary>>().Any(d => d.Origin.EndsWith("(spooled)", StringComparison.Ordinal));
        });
        var entry = Assert.Single(Spool.Entries);
        Assert.True(File.Exists(entry.Path));
    }

    [Fact]
    public void A_spooled_dump_without_an_id_has_one_recorded_before_its_first_replay_and_every_resend_keeps_it()
    {
        var desk = Desk(Coordinator());
        var pstore = new PendingDump(DumpCause.Panic, [], Encoding.ASCII.GetBytes("Kernel panic\n"), null, 0, 0, 0, 0,
            "5.10.0-old", 9, null, "pstore", DateTimeOffset.UtcNow);
        desk.Tell(new SpoolAndSend(pstore), TestActor);
        ExpectMsg<PendingSpooled>();
        var first = ReplaySummaries(desk, 1).Single();

        // Another enable: the same dump goes out again (no target took it) under the id on disk.
        Sys.EventStream.Publish(new TargetStateChanged("netoops", "a", TargetState.SettingUp, TargetState.Enabled, TargetTrigger.SetupSucceeded));
        var second = ReplaySummaries(desk, 2)[0];

        var recorded = Spool.Load(Assert.Single(Spool.Entries))!;
        Assert.Equal(9u, recorded.BootId);
        Assert.NotNull(recorded.DumpId);
        Assert.Equal(recorded.DumpId, (ushort)first.DumpId);
        Assert.Equal(recorded.DumpId, (ushort)second.DumpId);
    }

    /// <summary>The desk's replay summaries, newest first, once there are <paramref name="count"/>.</summary>
    private List<DumpSummary> ReplaySummaries(IActorRef desk, int count)
    {
        List<DumpSummary> replays = [];
        AwaitCondition(() =>
        {
            desk.Tell(GetRecentDumps.Instance, TestActor);
            replays = ExpectMsg<IReadOnlyList<DumpSummary>>().Where(d => d.Origin.EndsWith("(spooled)", StringComparison.Ordinal)).ToList();
            return replays.Count >= count;
        });
        return replays;
    }
}
