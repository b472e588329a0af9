namespace Netoops.Collector.Storage;

/// <summary>
/// Reads `key=value` labels out of a netoops user blob (free text, up to 128 bytes), so buckets
/// can be filtered by e.g. `rack=b12`. Pairs are separated by spaces, commas or semicolons; words
/// without `=` are ignored; the first occurrence of a key wins.
/// </summary>
public static class UserBlobLabels
{
    private static readonly char[] Separators = [' ', '\t', '\n', '\r', ',', ';'];

    public static IReadOnlyDictionary<string, string> Parse(string blob)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var word in blob.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = word.IndexOf('=');
            if (eq <= 0) continue;
            labels.TryAdd(word[..eq], word[(eq + 1)..]);
        }
        return labels;
    }
}
