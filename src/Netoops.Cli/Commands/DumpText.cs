using Netoops.Agent.Management;

namespace Netoops.Cli.Commands;

/// <summary>
/// One wording of a dump's fate for every text output (<c>status</c>, <c>dump --soft</c>), read from
/// the same fields the JSON carries, so the two cannot disagree: spooled (with why, when known),
/// refused (a policy decision, with its reason), sent (a target reported Sent), else not sent.
/// </summary>
internal static class DumpText
{
    public static string Fate(DumpSummary dump)
    {
        if (dump.Spooled) return dump.Refused is { } why ? $"spooled ({why})" : "spooled";
        if (dump.Refused is { } reason) return $"refused: {reason}";
        return dump.Targets.Any(t => t.Outcome == "Sent" && t.Sent > 0) ? "sent" : "not sent";
    }

    public static string Targets(DumpSummary dump) =>
        string.Join(' ', dump.Targets.Select(o => $"{o.Target}:{o.Outcome}({o.Sent})"));
}
