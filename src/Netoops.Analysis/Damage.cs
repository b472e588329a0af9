using System.Text.RegularExpressions;

namespace Netoops.Analysis;

/// <summary>Signs that a report was damaged on its way to the console (interleaving, truncation).</summary>
internal static class Damage
{
    // A timestamp inside a title: another line was spliced into the header.
    private static readonly Regex SplicedTimestamp = Pattern.Of(@"\[ *[0-9]+\.[0-9]+\]");

    private static readonly Regex[] StackKeywords =
    [
        Pattern.Of(@"Call Trace"), Pattern.Of(@"Allocated:"), Pattern.Of(@"Allocated by task [0-9]+:"),
        Pattern.Of(@"Freed:"), Pattern.Of(@"Freed by task [0-9]+:"), Pattern.Of(@"[^k] backtrace:"),
    ];

    private const int FramesExpectedWithin = 15;

    public static bool IsDamaged(string title, IReadOnlyList<string> lines, TitleRule? rule)
    {
        if (SplicedTimestamp.IsMatch(title))
            return true;
        if (rule == null || rule.NoStackTrace)
            return false;
        if (!lines.Any(l => l.Contains("Call Trace", StringComparison.Ordinal) || l.Contains("backtrace", StringComparison.Ordinal)))
            return true;
        // Each stack heading must be followed by at least one frame.
        foreach (var keyword in StackKeywords)
        {
            int at = -1;
            for (int i = 0; i < lines.Count && at < 0; i++)
                if (keyword.IsMatch(lines[i]))
                    at = i;
            if (at < 0)
                continue;
            if (lines.Count - at < 4)
                return true;
            bool found = false;
            for (int i = at + 1; i < lines.Count && i <= at + FramesExpectedWithin && !found; i++)
            {
                if (StackKeywords.Any(k => k.IsMatch(lines[i])))
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
