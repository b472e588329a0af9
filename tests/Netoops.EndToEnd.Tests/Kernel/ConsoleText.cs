namespace Netoops.EndToEnd.Tests.Kernel;

/// <summary>Helpers over kernel console lines ("[    2.386161] text").</summary>
public static class ConsoleText
{
    /// <summary>The line as the kernel's console prints it: "[%5lu.%06lu] text".</summary>
    public static string Format(ulong timestampMicroseconds, string text) =>
        $"[{timestampMicroseconds / 1_000_000,5}.{timestampMicroseconds % 1_000_000:D6}] {text}";

    /// <summary>The text after the "[ seconds.micros] " prefix; lines without one are returned whole.</summary>
    public static string WithoutTimestamp(string line)
    {
        if (!line.StartsWith('['))
            return line;
        var close = line.IndexOf("] ", StringComparison.Ordinal);
        return close < 0 ? line : line[(close + 2)..];
    }

    /// <summary>
    /// The expected lines absent from the received ones, counting repeats: a line printed twice
    /// must have arrived twice.
    /// </summary>
    public static IReadOnlyList<string> Missing(IEnumerable<string> expected, IEnumerable<string> received)
    {
        var available = received.GroupBy(line => line, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var line in expected)
        {
            if (available.TryGetValue(line, out var count) && count > 0)
                available[line] = count - 1;
            else
                missing.Add(line);
        }
        return missing;
    }
}
