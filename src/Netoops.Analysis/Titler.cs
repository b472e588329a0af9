using System.Text;
using System.Text.RegularExpressions;

namespace Netoops.Analysis;

/// <summary>The title of a report before normalisation, with what it was built from.</summary>
internal sealed record RawTitle(string Title, bool Corrupted, CrashKind Kind, IReadOnlyList<string> Frames, TitleRule? Rule);

/// <summary>
/// Names a report: finds the rule whose title line comes first, reads the captures it asks for,
/// and picks the first interesting frame from the parts of the report the rule points at.
/// </summary>
internal static class Titler
{
    private const string CorruptedFrame = "corrupted";

    public static RawTitle Title(ReportGroup group, IReadOnlyList<string> lines)
    {
        bool matchedTitle = false;
        for (int at = 0; at < lines.Count; at++)
        {
            bool anyAtLine = false;
            foreach (var rule in group.Rules)
            {
                if (!rule.Title.IsMatch(lines[at]))
                    continue;
                anyAtLine = matchedTitle = true;
                var captures = new List<string>();
                int from = at;
                if (rule.Report is { } report)
                {
                    if (!TryMatchSequence(lines, at, report, captures, out from))
                        continue;
                }
                else
                    AddCaptures(rule.Title.Match(lines[at]), captures);

                var frames = new List<string>();
                bool ok = true;
                string frame = "";
                if (rule.Stack is { } stack)
                {
                    ok = FramePicking.TryPick(stack, lines, from, frames, out frame);
                    if (!ok)
                        frame = CorruptedFrame;
                }
                var title = Format(rule.Format, captures, frame);
                return new RawTitle(title, !ok || rule.Corrupted, rule.Kind ?? group.Kind, frames, rule);
            }
            if (anyAtLine)
                break;
        }
        // No rule fits: the header line itself is the best name there is.
        var headerLine = FirstHeaderLine(group, lines);
        return new RawTitle(headerLine, matchedTitle, group.Kind, [], null);
    }

    private static string FirstHeaderLine(ReportGroup group, IReadOnlyList<string> lines)
    {
        foreach (var line in lines)
        {
            int pos = line.IndexOf(group.Header, StringComparison.Ordinal);
            if (pos >= 0)
                return line[pos..];
        }
        return group.Header;
    }

    // The first regex on the title line, each later one on a later line, as "X(?:.*\n)+?.*Y" would.
    private static bool TryMatchSequence(IReadOnlyList<string> lines, int at, Pattern[] sequence, List<string> captures, out int firstLine)
    {
        firstLine = at;
        int line = at;
        for (int step = 0; step < sequence.Length; step++)
        {
            Match? match = null;
            for (; line < lines.Count; line++)
            {
                var m = sequence[step].Match(lines[line]);
                if (m.Success)
                {
                    match = m;
                    break;
                }
            }
            if (match == null)
                return false;
            if (step == 0)
                firstLine = line;
            AddCaptures(match, captures);
            line++;
        }
        return true;
    }

    private static void AddCaptures(Match match, List<string> captures)
    {
        for (int g = 1; g < match.Groups.Count; g++)
            captures.Add(match.Groups[g].Value);
    }

    private static string Format(string format, List<string> captures, string frame)
    {
        var sb = new StringBuilder(format.Length + 32);
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] == '{')
            {
                int close = format.IndexOf('}', i);
                var name = format.AsSpan(i + 1, close - i - 1);
                if (name.SequenceEqual("frame"))
                    sb.Append(frame);
                else if (int.TryParse(name, out var n) && n >= 1 && n <= captures.Count)
                    sb.Append(captures[n - 1]);
                i = close;
                continue;
            }
            sb.Append(format[i]);
        }
        return sb.ToString();
    }
}
