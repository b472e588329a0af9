using Netoops.Analysis.Tests.Samples;

namespace Netoops.Analysis.Tests;

public class CrashDetectorTests
{
    private static List<CrashReport> FeedAll(CrashDetector detector, string text)
    {
        var reports = new List<CrashReport>();
        foreach (var line in CrashAnalyzer.SplitLines(text))
            reports.AddRange(detector.Feed(line));
        return reports;
    }

    [Fact]
    public void A_report_ends_at_the_end_trace_marker()
    {
        var detector = new CrashDetector();
        var reports = FeedAll(detector, Reports.ModuleWarning);
        var report = Assert.Single(reports);
        Assert.Equal("WARNING in provoke_warn", report.Title);
        Assert.Equal(2, report.StartLine);
        Assert.Equal(29, report.EndLine);
        Assert.False(detector.InReport);
    }

    [Fact]
    public void Analysing_a_whole_log_ends_the_first_report_at_its_end_marker_too()
    {
        var report = CrashAnalyzer.Analyze(Reports.ModuleWarning + "\n" + Reports.GeneralProtectionFault)!;
        Assert.Equal("WARNING in provoke_warn", report.Title);
        Assert.Equal(29, report.EndLine);
        Assert.StartsWith("---[ end trace", report.Text[^1]);
        Assert.DoesNotContain(report.Text, l => l.Contains("general protection fault", StringComparison.Ordinal));
    }

    [Fact]
    public void A_panic_that_reboots_ends_at_its_rebooting_line()
    {
        var detector = new CrashDetector();
        var reports = FeedAll(detector, """
            [    7.587017] Kernel panic - not syncing: provoke: requested panic
            [    7.588660] CPU: 0 PID: 110 Comm: sh Tainted: G           OE      6.1.0-56-cloud-amd64 #1  Debian 6.1.158-1
            [    7.588660] Call Trace:
            [    7.588660]  <TASK>
            [    7.588660]  dump_stack_lvl+0x44/0x5c
            [    7.588660]  panic+0x118/0x2ed
            [    7.588660]  </TASK>
            [    7.600000] Kernel Offset: 0x2a000000 from 0xffffffff81000000
            [    7.600100] Rebooting in 1 seconds..
            """);
        Assert.Equal("kernel panic: provoke: requested panic", Assert.Single(reports).Title);
        Assert.False(detector.InReport);
    }

    [Fact]
    public void Lines_before_a_report_are_not_reports()
    {
        var detector = new CrashDetector();
        Assert.Empty(detector.Feed("[    1.0] Linux version 6.1.0"));
        Assert.Empty(detector.Feed("[    1.1] Command line: console=ttyS0"));
        Assert.False(detector.InReport);
        Assert.Empty(detector.Flush());
    }

    [Fact]
    public void A_report_without_an_end_marker_ends_after_a_quiet_gap()
    {
        var detector = new CrashDetector(new CrashDetectorOptions(TimeSpan.FromSeconds(5), 2000));
        Assert.Empty(FeedAll(detector, Reports.HungTask));
        Assert.True(detector.InReport);
        Assert.Empty(detector.Tick(TimeSpan.FromSeconds(1102)));
        var report = Assert.Single(detector.Tick(TimeSpan.FromSeconds(1106)));
        Assert.Equal("INFO: task hung in rtnl_lock", report.Title);
    }

    [Fact]
    public void A_later_timestamped_line_after_the_gap_ends_the_report_and_is_not_part_of_it()
    {
        var detector = new CrashDetector();
        FeedAll(detector, Reports.HungTask);
        var report = Assert.Single(detector.Feed("[ 2000.000000] random: crng reseeded"));
        Assert.DoesNotContain(report.Text, l => l.Contains("crng"));
    }

    [Fact]
    public void The_next_report_of_the_same_caller_ends_the_previous_one()
    {
        var detector = new CrashDetector();
        var text = Reports.HungTask + "\n" + Reports.HungTask.Replace("kworker/u4:2:4567", "kworker/u4:3:4568");
        var reports = FeedAll(detector, text);
        var first = Assert.Single(reports);
        Assert.Equal("INFO: task hung in rtnl_lock", first.Title);
        Assert.Single(detector.Flush());
    }

    [Fact]
    public void A_panic_after_an_oops_belongs_to_the_oops()
    {
        var detector = new CrashDetector();
        var text = Reports.ModuleWarning.Replace("---[ end trace 0000000000000000 ]---",
            "Kernel panic - not syncing: panic_on_warn set ...\n[   42.100000] ---[ end Kernel panic - not syncing: panic_on_warn set ... ]---");
        var lines = CrashAnalyzer.SplitLines(text);
        var endMarker = lines.ToList().FindIndex(l => l.Contains("---[ end Kernel panic"));
        Assert.Empty(lines.Take(endMarker).SelectMany(l => detector.Feed(l)));
        var report = Assert.Single(detector.Feed(lines[endMarker]));
        Assert.Equal("WARNING in provoke_warn", report.Title);
    }

    [Fact]
    public void Interleaved_callers_each_get_their_own_report()
    {
        var detector = new CrashDetector();
        var lines = new[]
        {
            "[ 10.0][ T100] WARNING: CPU: 0 PID: 100 at a.c:1 alpha_fn+0x1/0x2",
            "[ 10.0][ T200] WARNING: CPU: 1 PID: 200 at b.c:2 beta_fn+0x1/0x2",
            "[ 10.1][ T100] RIP: 0010:alpha_fn+0x1/0x2",
            "[ 10.1][ T200] RIP: 0010:beta_fn+0x1/0x2",
            "[ 10.2][ T100] Call Trace:",
            "[ 10.2][ T200] Call Trace:",
            "[ 10.3][ T100]  alpha_caller+0x1/0x2",
            "[ 10.3][ T200]  beta_caller+0x1/0x2",
            "[ 10.3][ T100]  alpha_caller2+0x1/0x2",
            "[ 10.3][ T200]  beta_caller2+0x1/0x2",
            "[ 10.3][ T100]  alpha_caller3+0x1/0x2",
            "[ 10.3][ T200]  beta_caller3+0x1/0x2",
            "[ 10.4][ T200] ---[ end trace 0000000000000000 ]---",
            "[ 10.4][ T100] ---[ end trace 0000000000000000 ]---",
        };
        var reports = lines.SelectMany(l => detector.Feed(l)).ToList();
        Assert.Equal(["WARNING in beta_fn", "WARNING in alpha_fn"], reports.Select(r => r.Title));
        Assert.All(reports, r => Assert.False(r.Corrupted));
    }

    [Fact]
    public void A_report_that_never_ends_is_cut_at_the_line_limit()
    {
        var detector = new CrashDetector(new CrashDetectorOptions(TimeSpan.FromSeconds(5), 50));
        var reports = new List<CrashReport>();
        reports.AddRange(detector.Feed("[ 1.0] BUG: soft lockup - CPU#0 stuck for 22s! [a:1]"));
        for (int i = 0; i < 100; i++)
            reports.AddRange(detector.Feed("[ 1.0]  spin_loop+0x1/0x2"));
        var report = Assert.Single(reports);
        Assert.Equal(49, report.EndLine);
        Assert.False(detector.InReport);
    }

    [Fact]
    public void Options_that_cannot_work_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CrashDetector(new CrashDetectorOptions(TimeSpan.Zero, 0)));
    }
}
