using System.Text;
using System.Text.RegularExpressions;

namespace Netoops.Analysis;

/// <summary>
/// A regular expression over one console line, with a few placeholders so the rule tables read like
/// the lines they match: <c>&lt;func&gt;</c> a function name followed by <c>+0x</c> or a <c>.suffix</c>,
/// <c>&lt;pc&gt;</c> a bracketed address, <c>&lt;src&gt;</c> a <c>path/file.c:123</c> location.
/// The literal text every match must contain is looked for first (a vectorised search), so a regex
/// engine only runs on the few lines that could match.
/// </summary>
/// <remarks>
/// Two engines, one answer. Lines are matched by the backtracking interpreter: building ~190 of
/// them costs milliseconds and a few MiB, where non-backtracking automata cost seconds and ~200 MiB
/// (an always-on agent cannot afford that). Backtracking can be made slow by a crafted line, so each
/// match has a small time budget; a pattern that overruns it switches for good to a non-backtracking
/// twin, linear in the line whatever the input, built then. .NET's non-backtracking engine is made
/// to find the match backtracking finds (all 553 corpus reports analyse identically with either),
/// so the switch changes how long a match takes, not what it finds.
/// </remarks>
internal sealed class Pattern
{
    // Ordinary console lines match in microseconds; a line that takes this long is hostile (or the
    // machine stalled, which only costs building the twin early).
    private static readonly TimeSpan BacktrackingBudget = TimeSpan.FromMilliseconds(20);
    private static int linearSwitches;

    private readonly string pattern;
    private readonly Regex backtracking;
    private readonly string[] required;
    private volatile Regex? linear;

    private Pattern(string pattern, string[] required)
    {
        this.pattern = pattern;
        backtracking = new Regex(Expand(pattern, anchorLocations: true), RegexOptions.CultureInvariant, BacktrackingBudget);
        this.required = required;
    }

    /// <summary>How many patterns have switched to their non-backtracking twin in this process.</summary>
    public static int LinearSwitches => Volatile.Read(ref linearSwitches);

    /// <summary>Whether this pattern now matches with its non-backtracking twin.</summary>
    public bool IsLinear => linear is not null;

    /// <summary>A pattern whose leading literal text, if any, is the prefilter.</summary>
    public static Pattern Of(string pattern)
    {
        var literal = LeadingLiteral(pattern);
        return new Pattern(pattern, literal.Length >= 2 ? [literal] : []);
    }

    /// <summary>A pattern with explicit prefilters: a line must contain one of them to be tried.</summary>
    public static Pattern Of(string pattern, params string[] anyOf) => new(pattern, anyOf);

    public bool IsMatch(string line) => MayMatch(line) && Run(line, static (regex, l) => regex.IsMatch(l));

    public Match Match(string line) =>
        MayMatch(line) ? Run(line, static (regex, l) => regex.Match(l)) : System.Text.RegularExpressions.Match.Empty;

    private T Run<T>(string line, Func<Regex, string, T> match)
    {
        if (linear is { } twin)
            return match(twin, line);
        try
        {
            return match(backtracking, line);
        }
        catch (RegexMatchTimeoutException)
        {
            return match(SwitchToLinear(), line);
        }
    }

    private Regex SwitchToLinear()
    {
        var twin = new Regex(Expand(pattern, anchorLocations: false), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
        if (Interlocked.CompareExchange(ref linear, twin, null) is { } raced)
            return raced;
        Interlocked.Increment(ref linearSwitches);
        return twin;
    }

    private bool MayMatch(string line)
    {
        if (required.Length == 0)
            return true;
        foreach (var literal in required)
            if (line.Contains(literal, StringComparison.Ordinal))
                return true;
        return false;
    }

    public override string ToString() => pattern;

    // anchorLocations: a location starts where a run of path characters starts. The leftmost match
    // always does (a match inside a run extends to the run's start), so the lookbehind changes no
    // result; it spares backtracking a retry at every character of a long run. The
    // non-backtracking engine has no lookbehind and needs no such help.
    private static string Expand(string pattern, bool anchorLocations) => pattern
        // ppc64 ELFv1 kernels name a function's code by its dot symbol (".blk_mq_run_hw_queue+0x1c/0x80").
        .Replace("<func>", @"\.?([a-zA-Z0-9_]+)(?:\.|\+)")
        .Replace("<pc>", @"\[<?(?:0x)?[0-9a-f]+>?\]")
        .Replace("<src>", (anchorLocations ? @"(?<![a-zA-Z0-9\-_/.])" : "") + @"([a-zA-Z0-9\-_/.]+\.[a-z]+:[0-9]+)");

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
