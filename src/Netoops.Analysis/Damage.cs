using System.Text.RegularExpressions;

namespace Netoops.Analysis;

/// <summary>Signs that a report was damaged on its way to the console (interleaving, truncation).</summary>
internal static class Damage
{
    // A timestamp inside a title: another line was spliced into the header.
    private static readonly Pattern SplicedTimestamp = Pattern.Of(@"\[ *[0-9]+\.[0-9]+\]");

    private const int FramesExpectedWithin = 15;

    private static readonly string[] StackHeadings = ["Call Trace", "Call trace", "Allocated:", "Allocated by task ", "Freed:", "Freed by task ", " backtrace:"];

    private static bool IsHeading(string line, string heading)
    {
        int at = line.IndexOf(heading, StringComparison.Ordinal);
        if (at < 0)
            return false;
        if (heading == " backtrace:")
            return at > 0 && line[at - 1] != 'k';
        return heading[^1] != ' ' || (at + heading.Length < line.Length && char.IsAsciiDigit(line[at + heading.Length]));
    }

    // x86 "Call Trace:", arm64 "Call trace:", arm "Backtrace:", lockdep "stack backtrace:".
    private static bool HasStackTraceHeading(string line) =>
        line.Contains("Call Trace", StringComparison.Ordinal) || line.Contains("Call trace", StringComparison.Ordinal)
        || line.Contains("acktrace", StringComparison.Ordinal);

    // arm's unwinder ("[<pc>] (func) from [<pc>] (caller+0x1/0x2)", arch/arm/kernel/unwind.c) and riscv's
    // dump_backtrace ("[<pc>] func+0x1/0x2", arch/riscv/kernel/stacktrace.c) print an oops's stack with no heading.
    private static bool HasHeadlessTrace(IReadOnlyList<string> lines)
    {
        int entries = 0;
        var names = new List<string>(2);
        foreach (var line in lines)
        {
            if (!line.AsSpan().TrimStart().StartsWith("[<", StringComparison.Ordinal))
                continue;
            names.Clear();
            if (StackFrame.ReadFunctions(line, names) > 0 && ++entries == 2)
                return true;
        }
        return false;
    }

    public static bool IsDamaged(string title, IReadOnlyList<string> lines, TitleRule? rule)
    {
        if (SplicedTimestamp.IsMatch(title))
            return true;
        if (rule == null || rule.NoStackTrace)
            return false;
        if (!lines.Any(HasStackTraceHeading) && !HasHeadlessTrace(lines))
            return true;
        // Each stack heading must be followed by at least one frame.
        foreach (var heading in StackHeadings)
        {
            int at = -1;
            for (int i = 0; i < lines.Count && at < 0; i++)
                if (IsHeading(lines[i], heading))
                    at = i;
            if (at < 0)
                continue;
            // A heading right at the end was cut off, unless the kernel's end marker says it is all there.
            if (lines.Count - at < 4 && !ReportBoundary.Closes(lines[^1]))
                return true;
            bool found = false;
            for (int i = at + 1; i < lines.Count && i <= at + FramesExpectedWithin && !found; i++)
            {
                if (FramePicking.IsStackStart(lines[i]))
                    break;
                found = lines[i].Contains("(stack is not available)", StringComparison.Ordinal)
                        || (StackFrame.TryParse(lines[i], out var f) && !f.Inline);
            }
            if (!found)
                return true;
        }
        return false;
    }
}
