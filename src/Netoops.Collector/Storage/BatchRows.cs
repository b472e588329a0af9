using System.Text.Json;

namespace Netoops.Collector.Storage;

/// <summary>
/// A batch of crashes made ready for the database, the same for every engine: text cleaned, JSON
/// columns serialised, labels parsed, and hosts and buckets folded to one row each with the
/// batch's count and first/last times, so that each distinct host and bucket is upserted once per
/// batch instead of once per crash.
/// </summary>
internal sealed class BatchRows
{
    public sealed record Crash(CrashRecord Record, string Source, string Kind, string Title, string Kernel,
        string Hardware, string Board, string Bios, string UserBlob, string Registers, string Missing,
        string Report, string LogText, long ReceivedAt, IReadOnlyDictionary<string, string> Labels)
    {
        public long? BootId => Record.BootId;
        public int? DumpId => Record.DumpId;
        public int? DumpType => Record.DumpType;
    }

    /// <summary>One host or bucket as this batch touches it.</summary>
    public sealed record Group(string Key, string Title, string Kind, long FirstSeen, long LastSeen, long Crashes);

    public BatchRows(IReadOnlyList<CrashRecord> batch, long storedAt)
    {
        StoredAt = storedAt;
        var hosts = new Dictionary<string, Group>(StringComparer.Ordinal);
        var buckets = new Dictionary<string, Group>(StringComparer.Ordinal);
        var crashes = new List<Crash>(batch.Count);
        foreach (var c in batch)
        {
            var received = c.ReceivedAt.ToUnixTimeMilliseconds();
            var host = Clean(c.HostAddress);
            var bucket = Clean(c.BucketKey);
            var blob = Clean(c.UserBlob);
            crashes.Add(new Crash(c, Clean(c.Source), Clean(c.Kind), Clean(c.Title), Clean(c.Kernel),
                Clean(c.Machine.Hardware), Clean(c.Machine.Board), Clean(c.Machine.Bios), blob,
                CrashStore.RegistersJson(c.Registers), JsonSerializer.Serialize(c.Missing),
                Clean(c.Report), Clean(c.LogText), received, UserBlobLabels.Parse(blob)));
            Fold(hosts, host, "", "", received);
            Fold(buckets, bucket, Clean(c.Title), Clean(c.Kind), received);
            HostKeys.Add(host);
            BucketKeys.Add(bucket);
        }
        Crashes = crashes;
        Hosts = [.. hosts.Values];
        Buckets = [.. buckets.Values];
    }

    public long StoredAt { get; }
    public IReadOnlyList<Crash> Crashes { get; }
    /// <summary>Per crash, in batch order: its host address and bucket key (cleaned).</summary>
    public List<string> HostKeys { get; } = [];
    public List<string> BucketKeys { get; } = [];
    public IReadOnlyList<Group> Hosts { get; }
    /// <summary>A new bucket takes the title and kind of its first crash in the batch.</summary>
    public IReadOnlyList<Group> Buckets { get; }

    private static void Fold(Dictionary<string, Group> groups, string key, string title, string kind, long at) =>
        groups[key] = groups.TryGetValue(key, out var g)
            ? g with { FirstSeen = Math.Min(g.FirstSeen, at), LastSeen = Math.Max(g.LastSeen, at), Crashes = g.Crashes + 1 }
            : new Group(key, title, kind, at, at, 1);

    /// <summary>PostgreSQL refuses NUL in text; crash text from the wire may carry one, SQLite would keep it. Make both store the same.</summary>
    private static string Clean(string text) => text.Contains('\0') ? text.Replace("\0", "") : text;
}
