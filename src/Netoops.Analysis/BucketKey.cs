namespace Netoops.Analysis;

/// <summary>
/// The key that groups reports of one bug: the normalised title, which already has every
/// volatile part (addresses, numbers, PIDs, offsets) taken out. A corrupted report whose title
/// names no frame ("... in corrupted", "BUG: unable to handle kernel") would otherwise collect
/// every damaged report of its kind, so its key also carries the first frames it did show.
/// </summary>
public static class BucketKey
{
    public static string For(string title, bool corrupted, IReadOnlyList<string> frames)
    {
        if (!corrupted || frames.Count == 0 || !NamesNoFrame(title))
            return title;
        return title + " | " + string.Join(",", frames.Take(2));
    }

    private static bool NamesNoFrame(string title) =>
        title.EndsWith(" in corrupted", StringComparison.Ordinal) || !title.Contains(" in ", StringComparison.Ordinal);
}
