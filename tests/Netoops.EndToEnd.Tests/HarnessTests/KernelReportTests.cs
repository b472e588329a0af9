using Netoops.EndToEnd.Tests.Kernel;

namespace Netoops.EndToEnd.Tests.HarnessTests;

public sealed class KernelReportTests
{
    private static readonly string[] Log =
    [
        "[    2.384605] initlog: action warn",
        "[    2.386773] WARNING: CPU: 0 PID: 1 at provoke.c:26 provoke_warn+0x11/0x20 [provoke]",
        "[    2.388429] RIP: 0010:provoke_warn+0x11/0x20 [provoke]",
        "[    2.391000] Call Trace:",
        "[    2.391744]  provoke_write.cold+0x46/0x4e [provoke]",
        "[    2.392000]  ? proc_reg_write+0x56/0xa0",
        "[    2.396387] ---[ end trace 0000000000000000 ]---",
        "[    2.397946] initlog: action oops",
    ];

    [Fact]
    public void A_report_runs_from_its_first_line_to_its_end_marker_without_timestamps()
    {
        var report = KernelReport.Find(Log, line => line.StartsWith("WARNING: ", StringComparison.Ordinal));

        Assert.NotNull(report);
        Assert.Equal(6, report.Lines.Count);
        Assert.Equal("---[ end trace 0000000000000000 ]---", report.Lines[^1]);
        Assert.Equal("RIP: 0010:provoke_warn+0x11/0x20 [provoke]", report.Line("RIP: "));
    }

    [Fact]
    public void A_report_that_never_started_is_not_found()
    {
        Assert.Null(KernelReport.Find(Log, line => line.StartsWith("Kernel panic", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("provoke_write", true)]   // split by gcc into provoke_write.cold
    [InlineData("proc_reg_write", true)]  // an unreliable "? " frame still names its function
    [InlineData("provoke_warn", false)]   // only on the WARNING and RIP lines, not in the call trace
    [InlineData("provoke", false)]
    public void Frames_name_their_function_even_when_the_compiler_split_it(string function, bool expected)
    {
        var report = KernelReport.Find(Log, line => line.StartsWith("WARNING: ", StringComparison.Ordinal))!;

        Assert.Equal(expected, report.HasFrame(function));
    }
}
