namespace Netoops.Analysis.Tests;

/// <summary>Kernel reports read from syslog files and the journal, between other programs' lines.</summary>
public class SyslogStreamTests
{
    [Theory]
    [InlineData("Dec  7 23:50:01 web-17 kernel: [  712.001002] Modules linked in: x", "Modules linked in: x", 712.001002)]
    [InlineData("Dec 07 23:50:01.123456 web-17 kernel: Modules linked in: x", "Modules linked in: x", null)]
    [InlineData("2026-12-07T23:50:01.123456+00:00 web-17 kernel: Modules linked in: x", "Modules linked in: x", null)]
    [InlineData("2026-12-07T23:50:01Z web-17 kernel: [    1.5] Modules linked in: x", "Modules linked in: x", 1.5)]
    [InlineData("Dec  7 23:50:01 (none) kern.warn kernel: [    1.5] Modules linked in: x", "Modules linked in: x", 1.5)]
    public void A_kernel_line_loses_its_syslog_prefix(string raw, string text, double? seconds)
    {
        var line = ConsoleLine.Parse(raw);
        Assert.Equal(text, line.Text);
        Assert.Equal(seconds, line.Seconds);
        Assert.False(line.IsUserSpace);
    }

    [Theory]
    [InlineData("Dec  7 23:50:01 web-17 myapp[123]: WARNING: disk almost full")]
    [InlineData("Dec  7 23:50:01 web-17 cron: BUG: job failed")]
    [InlineData("Dec  7 23:50:01 (none) user.notice myapp: WARNING: disk almost full")]
    [InlineData("2026-12-07T23:50:01+01:00 web-17 systemd[1]: Kernel panic - not syncing: just a unit name")]
    public void Another_programs_line_is_user_space(string raw) =>
        Assert.True(ConsoleLine.Parse(raw).IsUserSpace);

    [Theory]
    [InlineData("Dec  7 is not a stamp: WARNING: x")]
    [InlineData("[   12.000000] WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2")]
    [InlineData("Dec  7 23:50:01 lonely-token")]
    public void Other_lines_are_not_taken_for_syslog(string raw) =>
        Assert.False(ConsoleLine.Parse(raw).IsUserSpace);

    [Fact]
    public void A_programs_warning_is_no_report_and_the_kernels_own_is_found_around_it()
    {
        var report = CrashAnalyzer.Analyze("""
            Dec  7 23:50:01 web-17 myapp[123]: WARNING: at src/main.c:12 do_work+0x10/0x20 (retrying)
            Dec  7 23:50:01 web-17 myapp[123]: Call Trace: none, this is our own message
            Dec  7 23:50:02 web-17 kernel: [  712.001000] ------------[ cut here ]------------
            Dec  7 23:50:02 web-17 kernel: [  712.001001] WARNING: CPU: 0 PID: 1 at drivers/misc/provoke.c:20 provoke_warn+0x12/0x20 [provoke]
            Dec  7 23:50:02 web-17 cron[99]: BUG: job 7 failed
            Dec  7 23:50:02 web-17 kernel: [  712.001002] Modules linked in: provoke(O)
            Dec  7 23:50:02 web-17 kernel: [  712.001003] RIP: 0010:provoke_warn+0x12/0x20 [provoke]
            Dec  7 23:50:02 web-17 kernel: [  712.001004] Call Trace:
            Dec  7 23:50:02 web-17 kernel: [  712.001005]  proc_reg_write+0x5a/0xa0
            Dec  7 23:50:02 web-17 kernel: [  712.001006]  vfs_write+0xc1/0x3a0
            Dec  7 23:50:02 web-17 kernel: [  712.001007] ---[ end trace 0000000000000000 ]---
            """)!;
        Assert.Equal("WARNING in provoke_warn", report.Title);
        Assert.False(report.Corrupted);
        Assert.DoesNotContain(report.Text, l => l.Contains("job 7"));
    }

    [Fact]
    public void A_stream_of_programs_lines_alone_holds_no_report()
    {
        Assert.Null(CrashAnalyzer.Analyze("""
            Dec  7 23:50:01 web-17 myapp[123]: WARNING: at src/main.c:12 do_work+0x10/0x20 (retrying)
            Dec  7 23:50:01 web-17 myapp[123]: Call Trace: none, this is our own message
            Dec  7 23:50:01 web-17 myapp[123]: ---[ end trace 0 ]---
            """));
    }
}
