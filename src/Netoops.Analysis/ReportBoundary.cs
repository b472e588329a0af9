namespace Netoops.Analysis;

/// <summary>
/// The one definition of where a kernel crash report starts and ends, shared by the batch analyser,
/// the agent's crash watch and the collector's netconsole capture.
/// <para>
/// A report <i>may</i> open at a line holding one of <see cref="StartMarkers"/> (the header of a
/// report kind, <see cref="LinuxReports.Groups"/>); that is the cheap test a stream runs on every
/// line. It <i>does</i> open only when the body a report has follows: a call trace, a symbolised
/// stack entry, registers, <c>Modules linked in</c>, the dump_stack banner or an end marker
/// (<see cref="Opens"/>). Boot notices share the header words (<c>SRSO: WARNING: See …</c>,
/// <c>RETBleed: WARNING: …</c>) but are one line of pr_warn() with nothing under them, and a user
/// program's <c>WARNING:</c> in a syslog stream is not kernel text at all (<see cref="ConsoleLine.IsUserSpace"/>).
/// </para>
/// <para>It closes at the kernel's own last line (<see cref="Closes"/>); a report without one
/// (hung task, stall) ends when its caller falls silent, which only a stream can see.</para>
/// </summary>
public static class ReportBoundary
{
    /// <summary>How many of the report's own lines after its header may pass before its body shows.
    /// lockdep's chain and KASAN's shadow dump are the longest preambles, a few dozen lines.</summary>
    internal const int BodyWithin = 100;

    /// <summary>
    /// Texts one of which is in every line that may open a report: each report kind's header, and
    /// the <c>cut here</c> line __warn() and BUG() print above theirs (lib/bug.c).
    /// </summary>
    public static IReadOnlyList<string> StartMarkers { get; } =
        ["------------[ cut here ]------------", .. LinuxReports.Groups.Select(g => g.Header).Distinct()];

    /// <summary>The cheap first test: the line holds a report header (whether a report follows is the analyser's call).</summary>
    public static bool MayOpen(ReadOnlySpan<char> line)
    {
        foreach (var marker in StartMarkers)
            if (line.Contains(marker, StringComparison.Ordinal))
                return true;
        return false;
    }

    /// <summary>
    /// The kernel's last line of a report: the end marker of an oops or WARN (<c>---[ end trace</c>,
    /// kernel/panic.c print_oops_end_marker), of a panic (<c>---[ end Kernel panic</c>), the reboot
    /// notice a panic with <c>panic=N</c> prints instead, and the OOM killer's summary
    /// (mm/oom_kill.c <c>__oom_kill_process</c>: <c>Out of memory: Killed process</c>).
    /// </summary>
    public static bool Closes(ReadOnlySpan<char> line) =>
        line.Contains("---[ end trace", StringComparison.Ordinal) ||
        line.Contains("---[ end Kernel panic", StringComparison.Ordinal) ||
        line.Contains("Out of memory: Killed process", StringComparison.Ordinal) ||
        IsRebootNotice(line);

    // kernel/panic.c: "Rebooting in %d seconds.." (two dots).
    private static bool IsRebootNotice(ReadOnlySpan<char> line)
    {
        int at = line.IndexOf("Rebooting in ", StringComparison.Ordinal);
        return at >= 0 && line[at..].TrimEnd().EndsWith(" seconds..", StringComparison.Ordinal);
    }

    /// <summary>
    /// Whether the header of <paramref name="group"/> at <paramref name="header"/> opens a report: a
    /// report's body follows among the next <see cref="BodyWithin"/> lines of the same caller (as
    /// <see cref="ReportLocator"/> collects them), before another report's header.
    /// <para>A report cut short counts too, titled as corrupted: its header is followed by at most
    /// <see cref="CutShortWithin"/> lines, then the output ends (the console died with the machine)
    /// or another report with a body begins (syzkaller's convention: the first header names the crash). That
    /// grace is for headers as report code prints them, at the start of the message; a header word
    /// inside a subsystem's or device's own message (<c>RETBleed: WARNING: …</c>,
    /// <c>usb 5-1: WARNING: …</c>) is a pr_warn()/dev_warn() notice unless its body proves otherwise.</para>
    /// </summary>
    internal static bool Opens(IReadOnlyList<ConsoleLine> parsed, int header, ReportGroup group) =>
        Opens(parsed, header, group, cutShortByAnother: true);

    // cutShortByAnother: false when asking whether the report that cut another short is itself one:
    // it may be cut short by the end of the output, not by a third header, so a run of one-line
    // notices cannot vouch for each other.
    private static bool Opens(IReadOnlyList<ConsoleLine> parsed, int header, ReportGroup group, bool cutShortByAnother)
    {
        var text = parsed[header].Text;
        if (IsBody(text, header: true))
            return true;
        bool asReportCodePrintsIt = AtMessageStart(text, group.Header);
        var context = parsed[header].Context;
        int seen = 0;
        for (int i = header + 1; i < parsed.Count; i++)
        {
            var line = parsed[i];
            if (line.Context != context)
                continue;
            if (seen++ == BodyWithin)
                return false;
            // A consequence (arm's "Internal error: Oops" under "Unable to handle kernel …") is still this report.
            if (ReportLocator.MatchHeader(line.Text) is { } next && !ReportLocator.IsConsequence(line.Text))
                return cutShortByAnother && asReportCodePrintsIt && seen <= CutShortWithin && Opens(parsed, i, next, cutShortByAnother: false);
            if (IsBody(line.Text, header: false))
                return true;
        }
        return asReportCodePrintsIt && seen <= CutShortWithin;
    }

    /// <summary>At most this many lines of its own after a header, then the end: cut short.</summary>
    internal const int CutShortWithin = 8;

    // The prefixes report code itself puts before a header: pr_fmt "rcu: " of kernel/rcu/tree_stall.h,
    // "watchdog: " (older "NMI watchdog: ") of kernel/watchdog.c, die()'s "Oops: " on x86 since 6.x
    // (arch/x86/kernel/dumpstack.c), and old lockdep's "[ INFO: … ]" brackets.
    private static readonly string[] ReportPrinterPrefixes = ["rcu: ", "watchdog: ", "NMI watchdog: ", "Oops: ", "[ "];

    private static bool AtMessageStart(string text, string header)
    {
        int at = text.IndexOf(header, StringComparison.Ordinal);
        if (at <= 0)
            return at == 0;
        var before = text.AsSpan(0, at).TrimStart();
        if (before.IsEmpty)
            return true;
        foreach (var prefix in ReportPrinterPrefixes)
            if (before.SequenceEqual(prefix))
                return true;
        return false;
    }

    private static bool IsBody(string text, bool header)
    {
        // A symbolised address "func+0x1a/0x40": a stack entry, a RIP/PC line, a lockdep "at:".
        int plus = text.IndexOf("+0x", StringComparison.Ordinal);
        if (plus > 0 && text.IndexOf("/0x", plus, StringComparison.Ordinal) > plus)
            return true;
        if (header)
            return false;
        foreach (var marker in BodyMarkers)
            if (text.Contains(marker, StringComparison.Ordinal))
                return true;
        return Closes(text);
    }

    // What only a report prints: the stack headings of every architecture (arch/*/kernel/traps.c,
    // lib/dump_stack.c), register dumps, the module list (kernel/module: print_modules) and the
    // dump_stack_print_info() banner "CPU: 0 PID: 1 Comm: …" (newer: "CPU: 0 UID: 0 PID: 1 Comm: …").
    private static readonly string[] BodyMarkers =
    [
        "Call Trace:", "Call trace:", "Backtrace:", "backtrace:", "Stack:", "Modules linked in:",
        "RIP: ", "EIP: ", "EIP is at ", "NIP: ", "NIP [", "pc : ", "PC is at ", "Krnl PSW", "epc : ",
        " PID: ", "Hardware name: ", "Code: ",
    ];
}
