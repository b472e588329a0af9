namespace Netoops.Protocol.Pstore;

/// <summary>Puts the parts of one pstore dump back in log order.</summary>
public static class PstoreParts
{
    /// <summary>
    /// Joins the logs of one dump's parts (same reason and count), oldest first: the highest part
    /// number holds the oldest text and Part1 the newest.
    /// </summary>
    public static string Join(IEnumerable<(PstoreRecordHeader Header, string Log)> parts) =>
        string.Concat(parts.OrderByDescending(p => p.Header.Part).Select(p => p.Log));
}
