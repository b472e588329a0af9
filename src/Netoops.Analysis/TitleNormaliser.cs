using System.Text;
using System.Text.RegularExpressions;

namespace Netoops.Analysis;

/// <summary>
/// Takes the volatile parts out of a title so that one bug gets one title on every machine and
/// every run: addresses become <c>ADDR</c>, line numbers <c>LINE</c>, other numbers <c>NUM</c>,
/// process names lose their instance numbers, <c>func+0x1/0x2</c> loses its offsets.
/// </summary>
public static class TitleNormaliser
{
    public const int MaxLength = 120;

    // Enough for any real title; replacements then run on a bounded string whatever the input was.
    private const int MaxInput = 1024;

    private static readonly (Regex Match, string Replacement)[] Replacements =
    [
        (R(@"syz-executor\.?[0-9]+(?:(?:/|:)[0-9]+)?"), "syz-executor"),
        (R(@"syzkaller[0-9]+(?:(?:/|:)[0-9]+)?"), "syzkaller"),
        (R(@"([^a-zA-Z0-9])(?:0x)?[0-9a-f]{6,}"), "${1}ADDR"),
        (R(@"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}"), "IP"),
        (R(@"(\.\w+)(?::[0-9]+)+"), "${1}:LINE"),
        (R(@"([a-zA-Z][a-zA-Z0-9_.]+)\+0x[0-9a-z]+/0x[0-9a-z]+"), "${1}"),
        (R(@"CPU#[0-9]+"), "CPU"),
        (R(@"(\W)(\d+)(\W|$)"), "${1}NUM${3}"),
        (R(@"\d{7,}"), "NUM"),
    ];

    private static Regex R(string pattern) => new(pattern, RegexOptions.CultureInvariant);

    public static string Normalise(string title)
    {
        var text = title.Length > MaxInput ? title[..MaxInput] : title;
        foreach (var (match, replacement) in Replacements)
        {
            // Matches can overlap ("0,1,2"): repeat until nothing changes. Each pass shrinks or
            // rewrites a bounded string, and a rewritten number is no longer a number.
            for (int pass = 0; pass < 8; pass++)
            {
                var next = match.Replace(text, replacement);
                if (next == text)
                    break;
                text = next;
            }
        }
        return Sanitise(text);
    }

    /// <summary>Printable ASCII only, single spaces, trimmed, at most <see cref="MaxLength"/> characters.</summary>
    public static string Sanitise(string title)
    {
        var sb = new StringBuilder(Math.Min(title.Length, MaxLength));
        char previous = ' ';
        for (int i = 0; i < title.Length && i < MaxLength; i++)
        {
            char c = title[i];
            if (c == '\t')
                c = ' ';
            else if (c < 0x20 || c >= 0x7f)
                continue;
            if (c == ' ' && previous == ' ')
                continue;
            sb.Append(c);
            previous = c;
        }
        return sb.ToString().Trim();
    }
}
