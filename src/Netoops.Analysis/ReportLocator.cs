namespace Netoops.Analysis;

/// <summary>Where a report sits in the console output and which of its lines belong to it.</summary>
/// <param name="Group">The kind of report its first line announced.</param>
/// <param name="Start">Index of the first line in the whole output.</param>
/// <param name="End">Index of the last line that belongs to it.</param>
/// <param name="Lines">Its lines, decorations stripped, other callers' lines left out.</param>
/// <param name="TitleLines">How many of <paramref name="Lines"/> come before the next report began;
/// titling looks only at these, so a second crash cannot lend its frames to the first.</param>
/// <param name="SkippedGuesses">Whether <paramref name="Lines"/> left out the unwinder's <c>? </c> guesses.</param>
internal sealed record LocatedReport(ReportGroup Group, int Start, int End, List<string> Lines, int TitleLines, string Context,
    bool SkippedGuesses = false);

/// <summary>
/// Finds the first report in console output and cuts it out. Linear: each line is checked once
/// against each report header (a substring search) before any regular expression runs.
/// </summary>
internal static class ReportLocator
{
    // After this many lines of a report, a panic or a lockdep splat is a consequence of it
    // (panic_on_warn, oops-time locking) and only repeats its stack.
    private const int ConsequenceAfterLines = 22;

    public static ReportGroup? MatchHeader(string raw)
    {
        foreach (var group in LinuxReports.Groups)
        {
            if (!raw.Contains(group.Header, StringComparison.Ordinal))
                continue;
            if (IsIgnored(raw, group))
                continue;
            return group;
        }
        return null;
    }

    private static bool IsIgnored(string raw, ReportGroup group)
    {
        foreach (var ignore in group.Ignore)
            if (ignore.IsMatch(raw))
                return true;
        return false;
    }

    /// <summary>The first bug report; an OOM kill only when the log holds no bug report at all.</summary>
    public static LocatedReport? FindFirst(IReadOnlyList<string> raw, IReadOnlyList<ConsoleLine> parsed, int from = 0)
    {
        (ReportGroup Group, int Line)? oom = null;
        for (int i = from; i < raw.Count; i++)
        {
            var group = parsed[i].IsUserSpace ? null : MatchHeader(raw[i]);
            if (group == null || !(ReportBoundary.Opens(parsed, i, group) || StandsAlone(group, parsed[i].Text)))
                continue;
            if (group.Kind != CrashKind.Oom)
                return Collect(raw, parsed, group, i);
            oom ??= (group, i);
        }
        return oom is { } found ? Collect(raw, parsed, found.Group, found.Line) : null;
    }

    /// <summary>
    /// A report kind that is one line by nature (<c>BUG: Bad rss-counter state</c>, a panic message,
    /// <c>unregister_netdevice: waiting for</c>): its first rule names it without reading a stack.
    /// </summary>
    private static bool StandsAlone(ReportGroup group, string text)
    {
        foreach (var rule in group.Rules)
            if (rule.Title.IsMatch(text))
                return rule.Stack == null && !rule.Corrupted;
        return false;
    }

    /// <summary>
    /// The same report with the unwinder's <c>? </c> guesses kept: kernels before the ORC unwinder
    /// (x86 before 4.14, RHEL 6 and 7) mark most or all frames so, and when the reliable ones alone
    /// name nothing, the guesses are the only stack there is.
    /// </summary>
    public static LocatedReport WithGuesses(IReadOnlyList<string> raw, IReadOnlyList<ConsoleLine> parsed, LocatedReport report) =>
        Collect(raw, parsed, report.Group, report.Start, keepGuesses: true);

    private static LocatedReport Collect(IReadOnlyList<string> raw, IReadOnlyList<ConsoleLine> parsed, ReportGroup group, int start,
        bool keepGuesses = false)
    {
        bool skippedGuesses = false;
        var context = parsed[start].Context;
        bool callerTagged = context.Length > 0 && context != ConsoleLine.ConsoleContext;
        var lines = new List<string>();
        int titleLines = 0, end = start, textLines = 0;
        bool secondReport = false, skipRest = false, allCpuBacktrace = false;

        for (int i = start; i < raw.Count; i++)
        {
            var line = parsed[i];
            bool first = i == start;
            if (!first && !secondReport && !line.IsUserSpace && StartsAnotherReport(raw[i]))
                secondReport = true;
            if (!first && line.Context != context && !(allCpuBacktrace && line.IsCpuContext))
                continue;
            if (!first && line.Questionable && !keepGuesses)
            {
                // Only the old unwinder's guesses carry their address ("[<ffffffff8106e9b7>] ? func"):
                // an ORC kernel's " ? func" entries are stale stack words, never the stack.
                skippedGuesses |= raw[i].Contains("] ? ", StringComparison.Ordinal);
                continue;
            }

            textLines++;
            bool skipLine = skipRest;
            if (line.Text.Contains("Disabling lock debugging due to kernel taint", StringComparison.Ordinal))
                skipLine = true;
            else if (line.Text.Contains("Sending NMI from CPU", StringComparison.Ordinal))
                allCpuBacktrace = true; // every CPU now prints its stack; keep them all
            else if (textLines > ConsequenceAfterLines &&
                     (line.Text.Contains("Kernel panic - not syncing", StringComparison.Ordinal) ||
                      line.Text.Contains("WARNING: possible circular locking dependency detected", StringComparison.Ordinal)))
                skipRest = skipLine = true;
            if (!first && skipLine)
                continue;

            lines.Add(line.Text);
            end = i;
            if (!secondReport || callerTagged)
                titleLines = lines.Count;
            // The kernel's own end marker closes the report: what follows is another story.
            if (!first && ReportBoundary.Closes(line.Text))
                break;
        }
        return new LocatedReport(group, start, end, lines, titleLines, context, skippedGuesses);
    }

    /// <summary>A report header that is the consequence of the report before it (the panic after an oops).</summary>
    public static bool IsConsequence(string raw)
    {
        foreach (var quiet in LinuxReports.NotASecondReport)
            if (quiet.IsMatch(raw))
                return true;
        return false;
    }

    private static bool StartsAnotherReport(string raw)
    {
        foreach (var info in LinuxReports.InfoWithStack)
            if (raw.Contains(info, StringComparison.Ordinal))
                return true;
        // An OOM kill in the middle of a report is noise around it, not a second bug.
        return MatchHeader(raw) is { Kind: not CrashKind.Oom } && !IsConsequence(raw);
    }
}
