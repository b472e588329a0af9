using System.Text.RegularExpressions;

namespace Netoops.Analysis;

/// <summary>
/// Regular expressions for crash text, with a few placeholders so the rule tables read like the
/// lines they match: <c>&lt;func&gt;</c> a function name followed by <c>+0x</c> or a <c>.suffix</c>,
/// <c>&lt;pc&gt;</c> a bracketed address, <c>&lt;src&gt;</c> a <c>path/file.c:123</c> location.
/// Every pattern is compiled non-backtracking, so matching is linear in the line length
/// whatever the input: hostile console text cannot stall the analyser.
/// </summary>
internal static class Pattern
{
    public static Regex Of(string pattern) => new(Expand(pattern),
        RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);

    public static string Expand(string pattern) => pattern
        .Replace("<func>", @"([a-zA-Z0-9_]+)(?:\.|\+)")
        .Replace("<pc>", @"\[<?(?:0x)?[0-9a-f]+>?\]")
        .Replace("<src>", @"([a-zA-Z0-9\-_/.]+\.[a-z]+:[0-9]+)");
}
