using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Netoops.Collector.Actors;
using Netoops.Collector.Analysis;
using Netoops.Collector.Dumps;
using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;
using Netoops.Collector.Tests.Support;

namespace Netoops.Collector.Tests.Dumps;

public sealed class DumpAnalystTests : TestKit
{
    private static readonly DumpKey Key = new(SourceAddress.FromV4(0x0a000007, 2004), 7, 42, 1);

    private static FinishedDump Partial(string text) =>
        new(Key, Senders.Header(), 9, Encoding.UTF8.GetBytes(text), [2, 3, 8], DateTimeOffset.UnixEpoch.AddDays(20000));

    private sealed class ThrowingAnalyzer : ICrashAnalyzer
    {
        public CrashAnalysis Analyze(string text, bool softDump) => throw new InvalidOperationException("analysis bug");
        public CrashAnalysis? TryAnalyze(string text) => throw new InvalidOperationException("analysis bug");
    }

    [Fact]
    public void A_partial_dump_becomes_a_titled_crash_with_its_missing_packets_header_registers_and_host()
    {
        var metrics = new CollectorMetrics();
        var store = CreateTestProbe();
        var analyst = Sys.ActorOf(DumpAnalyst.Props(new LinuxCrashAnalyzer(metrics), store, metrics));
        var dump = Partial(KernelLogs.WithWarn(5));
        metrics.AnalysisBacklogBytes.Add(dump.Text.Length);

        analyst.Tell(new AnalyseDump(dump));

        var crash = store.ExpectMsg<StoreCrash>().Crash;
        Assert.Equal("WARNING in provoke_warn", crash.Title);
        Assert.False(crash.Complete);
        Assert.Equal([2, 3, 8], crash.Missing);
        Assert.Equal(0xffffffffc0a01011UL, crash.Registers["ip"]);
        Assert.Equal(("10.0.0.7", "10.0.0.7:2004"), (crash.HostAddress, crash.Source));
        Assert.Equal(dump.FirstPacket, crash.ReceivedAt);
        AwaitCondition(() => metrics.AnalysisBacklogBytes.Value == 0);
    }

    [Fact]
    public void A_dump_whose_analysis_throws_still_leaves_the_backlog_and_nothing_is_stored()
    {
        var metrics = new CollectorMetrics();
        var store = CreateTestProbe();
        var broken = Sys.ActorOf(DumpAnalyst.Props(new ThrowingAnalyzer(), store, metrics));
        var dump = Partial("some text");
        metrics.AnalysisBacklogBytes.Add(dump.Text.Length);

        broken.Tell(new AnalyseDump(dump));

        AwaitCondition(() => metrics.AnalysisBacklogBytes.Value == 0);
        store.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
