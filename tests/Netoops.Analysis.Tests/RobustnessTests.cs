using System.Text;

namespace Netoops.Analysis.Tests;

/// <summary>Hostile console text: it must be refused or analysed, never crash or stall the analyser.</summary>
public class RobustnessTests
{
    [Fact]
    public void A_ten_megabyte_line_is_analysed_and_its_title_stays_short()
    {
        var huge = "Kernel panic - not syncing: " + new string('A', 10 * 1024 * 1024);
        var report = CrashAnalyzer.Analyze(huge)!;
        Assert.Equal(CrashKind.Panic, report.Kind);
        Assert.True(report.Title.Length <= TitleNormaliser.MaxLength);
    }

    [Fact]
    public void A_ten_megabyte_line_of_near_misses_is_not_a_crash()
    {
        var sb = new StringBuilder();
        while (sb.Length < 10 * 1024 * 1024)
            sb.Append("BUG WARNIN INFO Call Trac RIP 0010: [<ffff>] ? f+0x ");
        Assert.Null(CrashAnalyzer.Analyze(sb.ToString()));
    }

    [Fact]
    public void Binary_junk_is_not_a_crash()
    {
        var random = new Random(1234);
        var bytes = new byte[4 * 1024 * 1024];
        random.NextBytes(bytes);
        var text = Encoding.Latin1.GetString(bytes).Replace("BUG", "bug").Replace("WARN", "warn");
        Assert.Null(CrashAnalyzer.Analyze(text));
    }

    [Fact]
    public void Endless_nesting_and_endless_stacks_are_analysed()
    {
        var sb = new StringBuilder("[ 1.0] BUG: KASAN: use-after-free in victim+0x1/0x2\n[ 1.0] Read of size 8\n[ 1.0] Call Trace:\n");
        for (int i = 0; i < 200_000; i++)
            sb.Append(i % 2 == 0 ? "[ 1.0]  <IRQ>\n" : "[ 1.0]  kasan_report+0x1/0x2\n");
        sb.Append("[ 1.0]  victim+0x1/0x2\n");
        var report = CrashAnalyzer.Analyze(sb.ToString())!;
        Assert.Equal("KASAN: use-after-free Read in victim", report.Title);
    }

    [Fact]
    public void Hundreds_of_thousands_of_report_headers_are_analysed()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 300_000; i++)
            sb.Append("[ 1.0] WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2\n");
        // Each header starts the next report, so the first one is cut off before any stack.
        var report = CrashAnalyzer.Analyze(sb.ToString())!;
        Assert.Equal("WARNING in corrupted", report.Title);
        Assert.True(report.Corrupted);
    }

    [Fact]
    public void Malformed_register_and_task_lines_leave_those_facts_empty()
    {
        var report = CrashAnalyzer.Analyze("""
            general protection fault: 0000 [#1] SMP
            CPU: x PID: Comm:
            RIP: zzzz:
            RSP: 0018:nothex EFLAGS: ???
            RAX: ffffffffffffffffffffffffffff RBX: -1
            Hardware name: , BIOS
            """)!;
        Assert.Equal(0ul, report.Registers!.Ax);
        Assert.Equal(0ul, report.Registers.Sp);
        Assert.Equal("", report.Hardware!.System);
    }

    [Fact]
    public void A_line_that_makes_backtracking_crawl_switches_the_pattern_to_its_linear_twin_with_the_same_answer()
    {
        var pattern = Pattern.Of(@"WARNING: .*fs/proc/generic\.c.* proc_register");
        Assert.True(pattern.IsMatch("WARNING: CPU: 0 PID: 1 at fs/proc/generic.c:345 proc_register+0x1/0x2"));
        Assert.False(pattern.IsLinear);
        var switchesBefore = Pattern.LinearSwitches;

        // Every "fs/proc/generic.c" is a place to retry the rest of the line: quadratic for backtracking.
        var trap = "WARNING: " + string.Concat(Enumerable.Repeat("fs/proc/generic.c ", 60_000));
        Assert.False(pattern.IsMatch(trap));
        Assert.True(pattern.IsLinear);
        Assert.True(Pattern.LinearSwitches > switchesBefore);

        Assert.True(pattern.IsMatch(trap + "x proc_register"));
        var match = Pattern.Of(@"at <src> <func>").Match("WARNING: CPU: 0 PID: 1 at fs/proc/generic.c:345 proc_register+0x1/0x2");
        Assert.Equal(["fs/proc/generic.c:345", "proc_register"], [match.Groups[1].Value, match.Groups[2].Value]);
    }

    [Fact]
    public void A_location_inside_a_longer_run_of_path_characters_is_found_from_the_run_start()
    {
        // The location placeholder only starts where a run of path characters starts; the match is the same.
        var match = Pattern.Of(@"<src>").Match("at ./a/b.c/d.c:12 x");
        Assert.Equal("./a/b.c/d.c:12", match.Groups[1].Value);
        Assert.False(Pattern.Of(@"<src>").IsMatch(new string('a', 4000) + "." + new string('b', 4000)));
    }
}
