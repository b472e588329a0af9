namespace Netoops.Collector.Storage;

/// <summary>Filters of `GET /api/buckets` (all optional; text filters match substrings, case-insensitively).</summary>
public sealed record BucketFilter
{
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? Kernel { get; init; }
    public int? CpuVendor { get; init; }
    public int? CpuFamily { get; init; }
    public int? CpuModel { get; init; }
    public string? Hardware { get; init; }
    public string? Board { get; init; }
    public string? Bios { get; init; }
    public string? Host { get; init; }
    /// <summary>User-blob labels that must all match exactly.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; init; } = [];
    public string? Kind { get; init; }
    /// <summary>Substring of the title.</summary>
    public string? Search { get; init; }
    public int Limit { get; init; } = 100;
    public int Offset { get; init; }
}

public sealed record BucketSummary(
    long Id, string Title, string Kind, long Crashes, long Hosts,
    DateTimeOffset FirstSeen, DateTimeOffset LastSeen);

public sealed record CountBy(string Value, long Count);

public sealed record TrendPoint(DateTimeOffset Start, long Count);

public sealed record CrashSummary(
    long Id, DateTimeOffset ReceivedAt, string Host, string Kernel, string Hardware,
    bool Complete, string Origin);

public sealed record BucketDetail(
    long Id, string Key, string Title, string Kind, long Crashes, long Hosts,
    DateTimeOffset FirstSeen, DateTimeOffset LastSeen,
    string TrendStep,
    IReadOnlyList<TrendPoint> Trend,
    IReadOnlyList<CountBy> ByKernel,
    IReadOnlyList<CountBy> ByHardware,
    IReadOnlyList<CountBy> ByBios,
    IReadOnlyList<CountBy> ByCpuModel,
    IReadOnlyList<CountBy> ByHost,
    IReadOnlyList<CrashSummary> RecentCrashes);

public sealed record CpuView(int Vendor, string VendorName, int Family, int Model, int Stepping);

public sealed record CrashDetail(
    long Id, long BucketId, string BucketTitle, string Origin, string Host, string Source,
    DateTimeOffset ReceivedAt, DateTimeOffset StoredAt,
    string Kind, string Title, string Kernel,
    long? BootId, long? DumpId, long? DumpType,
    CpuView? Cpu, string Hardware, string Board, string Bios,
    string UserBlob, IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Registers,
    bool Complete, long? PacketCount, IReadOnlyList<int> Missing,
    string Report, string LogText, string AnalysedBy, bool Authenticated);

public sealed record HostSummary(long Id, string Address, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, long Crashes);

/// <summary>How long stored crashes are kept: older than <see cref="MaxAge"/> or beyond the newest <see cref="MaxCrashes"/> are deleted.</summary>
public sealed record RetentionPolicy(TimeSpan? MaxAge, long? MaxCrashes);

public sealed record RetentionResult(long CrashesDeleted, long BucketsDeleted, long HostsDeleted);

public static class CpuVendors
{
    private static readonly Dictionary<int, string> Names = new()
    {
        [0] = "Intel", [1] = "Cyrix", [2] = "AMD", [3] = "UMC", [5] = "Centaur",
        [7] = "Transmeta", [8] = "NSC", [9] = "Hygon", [10] = "Zhaoxin", [0xff] = "unknown",
    };

    public static string Name(int code) => Names.TryGetValue(code, out var n) ? n : $"vendor-{code}";

    /// <summary>Accepts a vendor name (`AMD`, any case) or its numeric code.</summary>
    public static int? Parse(string text)
    {
        if (int.TryParse(text, out var code)) return code;
        foreach (var (k, v) in Names)
            if (string.Equals(v, text, StringComparison.OrdinalIgnoreCase)) return k;
        return null;
    }
}
