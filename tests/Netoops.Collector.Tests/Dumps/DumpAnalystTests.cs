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

    /// <summary>The real analyser, counted; optionally giving every title a suffix.</summary>
    private sealed class CountingAnalyzer(ICrashAnalyzer inner, string titleSuffix = "") : ICrashAnalyzer
    {
        public int Calls;

        public CrashAnalysis Analyze(string text, bool softDump)
        {
            Calls++;
            var analysis = inner.Analyze(text, softDump);
            return analysis with { Title = analysis.Title + titleSuffix };
        }

        public CrashAnalysis? TryAnalyze(string text) => inner.TryAnalyze(text);
    }

    internal static FinishedDump FromHost(int host) =>
        new(Key with { Source = SourceAddress.FromV4(0x0a000000u + (uint)host, 2004) }, Senders.Header(dumpId: (ushort)host), 3,
            Encoding.UTF8.GetBytes(Analysis.ReportFingerprintTests.AsHostPrints(host)), [], DateTimeOffset.UnixEpoch.AddDays(20000));

    [Fact]
    public void An_analysis_is_remembered_under_its_dumps_fingerprint_for_the_shards_to_fold_a_storm_into()
    {
        var metrics = new CollectorMetrics();
        var store = CreateTestProbe();
        var recent = new RecentAnalyses(TimeSpan.FromMinutes(1), 16);
        var analyst = Sys.ActorOf(DumpAnalyst.Props(new LinuxCrashAnalyzer(metrics), store, metrics, new AnalysisBacklog(1L << 30, metrics), recent));

        analyst.Tell(new AnalyseDump(FromHost(1)));

        Assert.NotEqual("", store.ExpectMsg<StoreCrash>().Crash.LogText);
        Assert.True(recent.TryGet(DumpAnalyst.FingerprintOf(FromHost(2).Header, FromHost(2).Text)!.Value, DateTimeOffset.UtcNow, out var remembered));
        Assert.Equal("WARNING in provoke_warn", remembered.Title);
    }

    [Fact]
    public void An_analysis_whose_title_holds_a_number_the_fingerprint_masks_is_never_remembered()
    {
        var metrics = new CollectorMetrics();
        var store = CreateTestProbe();
        var recent = new RecentAnalyses(TimeSpan.FromMinutes(1), 16);
        var analyzer = new CountingAnalyzer(new LinuxCrashAnalyzer(metrics), titleSuffix: " exitcode=0x00000009");
        var analyst = Sys.ActorOf(DumpAnalyst.Props(analyzer, store, metrics, new AnalysisBacklog(1L << 30, metrics), recent));

        analyst.Tell(new AnalyseDump(FromHost(1)));

        store.ExpectMsg<StoreCrash>();
        Assert.Equal(0, recent.Count);
    }

    [Fact]
    public void A_partial_dump_becomes_a_titled_crash_with_its_missing_packets_header_registers_and_host()
    {
        var metrics = new CollectorMetrics();
        var store = CreateTestProbe();
        var backlog = new AnalysisBacklog(1L << 30, metrics);
        var analyst = Sys.ActorOf(DumpAnalyst.Props(new LinuxCrashAnalyzer(metrics), store, metrics, backlog));
        var dump = Partial(KernelLogs.WithWarn(5));
        Assert.True(backlog.TryAdmit(dump.Key.Source, dump.Text.Length));

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
        var backlog = new AnalysisBacklog(1L << 30, metrics);
        var broken = Sys.ActorOf(DumpAnalyst.Props(new ThrowingAnalyzer(), store, metrics, backlog));
        var dump = Partial("some text");
        Assert.True(backlog.TryAdmit(dump.Key.Source, dump.Text.Length));

        broken.Tell(new AnalyseDump(dump));

        AwaitCondition(() => metrics.AnalysisBacklogBytes.Value == 0);
        store.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
