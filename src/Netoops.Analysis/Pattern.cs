using System.Text;
using System.Text.RegularExpressions;

namespace Netoops.Analysis;

/// <summary>
/// A regular expression over one console line, with a few placeholders so the rule tables read like
/// the lines they match: <c>&lt;func&gt;</c> a function name followed by <c>+0x</c> or a <c>.suffix</c>,
/// <c>&lt;pc&gt;</c> a bracketed address, <c>&lt;src&gt;</c> a <c>path/file.c:123</c> location.
/// It is compiled non-backtracking, so matching is linear in the line whatever the input; and
/// the literal text every match must contain is looked for first (a vectorised search), so the
/// regex engine only runs on the few lines that could match.
/// </summary>
internal sealed class Pattern
{
    private readonly Regex regex;
    private readonly string[] required;

    private Pattern(string pattern, string[] required)
    {
        regex = new Regex(Expand(pattern), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        this.required = required;
    }

    /// <summary>A pattern whose leading literal text, if any, is the prefilter.</summary>
    public static Pattern Of(string pattern)
    {
        var literal = LeadingLiteral(pattern);
        return new Pattern(pattern, literal.Length >= 2 ? [literal] : []);
    }

    /// <summary>A pattern with explicit prefilters: a line must contain one of them to be tried.</summary>
    public static Pattern Of(string pattern, params string[] anyOf) => new(pattern, anyOf);

    public bool IsMatch(string line) => MayMatch(line) && regex.IsMatch(line);

    public Match Match(string line) => MayMatch(line) ? regex.Match(line) : System.Text.RegularExpressions.Match.Empty;

    private bool MayMatch(string line)
    {
        if (required.Length == 0)
            return true;
        foreach (var literal in required)
            if (line.Contains(literal, StringComparison.Ordinal))
                return true;
        return false;
    }

    public override string ToString() => regex.ToString();

    private static string Expand(string pattern) => pattern
        .Replace("<func>", @"([a-zA-Z0-9_]+)(?:\.|\+)")
        .Replace("<pc>", @"\[<?(?:0x)?[0-9a-f]+>?\]")
        .Replace("<src>", @"([a-zA-Z0-9\-_/.]+\.[a-z]+:[0-9]+)");

    // The text every match starts with: literal characters up to the first construct that is not one.
    // None when the pattern has a top-level alternative (either branch may match).
    private static string LeadingLiteral(string pattern)
    {
        int depth = 0;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\') i++;
            else if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == '|' && depth == 0) return "";
        }
        var literal = new StringBuilder();
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length && "\\.()[]{}|?*+^$-/ '!".Contains(pattern[i + 1]))
            {
                literal.Append(pattern[++i]);
                continue;
            }
            if ("\\^$.|?*+()[]{}<".Contains(c))
            {
                // A quantifier makes the character before it optional.
                if (c is '?' or '*' or '{' && literal.Length > 0)
                    literal.Length--;
                break;
            }
            literal.Append(c);
        }
        return literal.ToString();
    }
}
