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
using Netoops.Agent.Tests.Process;

namespace Netoops.Agent.Tests.Dumps;

/// <summary>
/// A target removed while it sends a dump: the desk with the real coordinator, the real netoops
/// subsystem and target (real UDP on loopback), real spool files and the real collector.
/// </summary>
public sealed class DroppedTargetTests : DeskTestKit
{
    private static readonly LogSnapshot Kernel = LogSnapshot.Of(Encoding.ASCII.GetBytes("[    5.000000] BUG: soft lockup\n"));

    public DroppedTargetTests() : base(TimeSpan.FromSeconds(20)) { }

    private void Target(string name, int collectorPort, int localPort)
    {
        Ask(new MakeTarget(name));
        ExpectMsg<TargetMade>();
        foreach (var (attribute, value) in new[]
                 {
                     ("dev_name", "lo"), ("local_ip", "127.0.0.1"), ("local_port", localPort.ToString()),
                     ("remote_ip", "127.0.0.1"), ("remote_port", collectorPort.ToString()), ("enabled", "1"),
                 })
        {
            Ask(new WriteAttribute(name, attribute, value));
            ExpectMsg<Accepted>();
        }
    }

    [Fact]
    public async Task A_target_dropped_during_a_send_leaves_the_dump_spooled_and_a_later_target_delivers_it_once()
    {
        await using var collector = await SpoolReplayCollectorTests.StartCollectorAsync(Dir);
        using var http = new HttpClient { BaseAddress = collector.HttpUri };
        // A second between rounds: the drop lands after the first round, before the Sent.
        var coordinator = Sys.ActorOf(DumpCoordinator.Props(DumpCoordinatorOptions.For(Netoops, "6.1.0-test") with
        {
            Rounds = 3, Spacing = TimeSpan.FromSeconds(1), ReportDeadline = TimeSpan.FromSeconds(15),
        }));
        var desk = Desk(coordinator);
        var localPort = AgentProcess.FreeUdpPort(); // the collector's source is address and port: kept for the second target
        Target("a", collector.NetoopsEndPoint.Port, localPort);

        desk.Tell(new SoftDumpOf(Kernel, TestActor));
        await WaitFor(http, m => Metric(m, "netoops_dump_packets_accepted_total") > 0); // the first round is under way
        Ask(new DropTarget("a"));
        // The drop's answer and the dump's summary both come to the test actor, in either order:
        // the aborted send can report before the subsystem answers the drop.
        var answers = ReceiveN(2);
        Assert.Single(answers.OfType<TargetDropped>());
        var live = Assert.Single(answers.OfType<DumpSummary>());
        Assert.True(live.Spooled, live.Refused);
        // The drop cleans the target up first, which aborts the send in flight (Interrupted); one gone
        // before it answered is Dropped. Either way no target reported Sent.
        Assert.Contains(Assert.Single(live.Targets).Outcome, new[] { "Interrupted", "Dropped" });
        Assert.Single(Spool.Entries);

        // Enabling a target replays the spool (the desk hears the Enabled on the event stream).
        Target("b", collector.NetoopsEndPoint.Port, localPort);
        DumpSummary? replay = null;
        AwaitCondition(() =>
        {
            desk.Tell(GetRecentDumps.Instance, TestActor);
            replay = ExpectMsg<IReadOnlyList<DumpSummary>>().FirstOrDefault(d => d.Origin.EndsWith("(spooled)", StringComparison.Ordinal) && !d.Spooled);
            return replay is not null && Spool.Entries.Count == 0;
        }, TimeSpan.FromSeconds(30));
        Assert.Equal(live.DumpId, replay!.DumpId); // the id it was first sent under
        var replaySent = Assert.Single(replay.Targets, t => t.Target == "b").Sent;

        // Every datagram both sends got out has been through the collector: then count the dumps.
        // The dropped target's count is not in the report: the replay's, plus the one seen before the drop.
        var metrics = await WaitFor(http, m =>
            Metric(m, "netoops_dump_packets_accepted_total") + Metric(m, "netoops_dump_packets_duplicate_total") >= replaySent + 1
            && Metric(m, "netoops_dumps_pending") == 0);
        Assert.Equal(1, Metric(metrics, "netoops_dumps_complete_total"));
    }

    private static long Metric(string metrics, string name) =>
        metrics.Split('\n').Where(l => l.StartsWith(name + " ", StringComparison.Ordinal))
            .Select(l => long.Parse(l[(name.Length + 1)..])).FirstOrDefault();

    private static async Task<string> WaitFor(HttpClient http, Func<string, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string metrics;
        do
        {
            metrics = await http.GetStringAsync("metrics");
            if (condition(metrics)) return metrics;
            await Task.Delay(10);
        } while (DateTime.UtcNow < deadline);
        Assert.Fail("collector never got there: " + metrics);
        return metrics;
    }
}
