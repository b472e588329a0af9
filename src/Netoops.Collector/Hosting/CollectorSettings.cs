using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Netoops.Collector.Hosting;

/// <summary>
/// Collector settings as written by people: the `--config` JSON file and the command-line flags
/// share these names. Unset values keep the defaults; flags override the file.
/// </summary>
public sealed record CollectorSettings
{
    /// <summary>Smallest analysis backlog or store queue: one large dump's text must fit.</summary>
    public const long MinQueueBytes = 1 << 20;

    [JsonPropertyName("netoops")] public string? Netoops { get; init; }
    [JsonPropertyName("netconsole")] public string? Netconsole { get; init; }
    [JsonPropertyName("db")] public string? Db { get; init; }
    [JsonPropertyName("http")] public string? Http { get; init; }
    [JsonPropertyName("rcvbuf")] public int? ReceiveBuffer { get; init; }
    [JsonPropertyName("allow")] public string[]? Allow { get; init; }
    [JsonPropertyName("rate_per_source")] public double? RatePerSource { get; init; }
    [JsonPropertyName("dump_timeout_seconds")] public double? DumpTimeoutSeconds { get; init; }
    [JsonPropertyName("retention_days")] public double? RetentionDays { get; init; }
    [JsonPropertyName("retention_max_crashes")] public long? RetentionMaxCrashes { get; init; }
    [JsonPropertyName("dump_shards")] public int? DumpShards { get; init; }
    [JsonPropertyName("analysts")] public int? Analysts { get; init; }
    [JsonPropertyName("analysis_backlog_bytes")] public long? AnalysisBacklogBytes { get; init; }
    [JsonPropertyName("store_queue_bytes")] public long? StoreQueueBytes { get; init; }
    [JsonPropertyName("key_file")] public string? KeyFile { get; init; }
    [JsonPropertyName("require_signed")] public string[]? RequireSigned { get; init; }
    [JsonPropertyName("host_crashes_per_minute")] public int? HostCrashesPerMinute { get; init; }
    [JsonPropertyName("host_crash_bytes_per_minute")] public long? HostCrashBytesPerMinute { get; init; }

    public static CollectorSettings Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<CollectorSettings>(File.ReadAllText(path),
                new JsonSerializerOptions { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, ReadCommentHandling = JsonCommentHandling.Skip })
                ?? new CollectorSettings();
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: {e.Message}");
        }
    }

    /// <summary>This layer's values over <paramref name="lower"/>'s.</summary>
    public CollectorSettings Over(CollectorSettings lower) => new()
    {
        Netoops = Netoops ?? lower.Netoops,
        Netconsole = Netconsole ?? lower.Netconsole,
        Db = Db ?? lower.Db,
        Http = Http ?? lower.Http,
        ReceiveBuffer = ReceiveBuffer ?? lower.ReceiveBuffer,
        Allow = Allow is { Length: > 0 } ? Allow : lower.Allow,
        RatePerSource = RatePerSource ?? lower.RatePerSource,
        DumpTimeoutSeconds = DumpTimeoutSeconds ?? lower.DumpTimeoutSeconds,
        RetentionDays = RetentionDays ?? lower.RetentionDays,
        RetentionMaxCrashes = RetentionMaxCrashes ?? lower.RetentionMaxCrashes,
        DumpShards = DumpShards ?? lower.DumpShards,
        Analysts = Analysts ?? lower.Analysts,
        AnalysisBacklogBytes = AnalysisBacklogBytes ?? lower.AnalysisBacklogBytes,
        StoreQueueBytes = StoreQueueBytes ?? lower.StoreQueueBytes,
        HostCrashesPerMinute = HostCrashesPerMinute ?? lower.HostCrashesPerMinute,
        HostCrashBytesPerMinute = HostCrashBytesPerMinute ?? lower.HostCrashBytesPerMinute,
        KeyFile = KeyFile ?? lower.KeyFile,
        RequireSigned = RequireSigned is { Length: > 0 } ? RequireSigned : lower.RequireSigned,
    };

    /// <summary>Validated options; a bad value is a <see cref="FormatException"/> naming the setting.</summary>
    public CollectorOptions ToOptions()
    {
        var defaults = new CollectorOptions();
        if (ReceiveBuffer is < 4096) throw new FormatException("rcvbuf must be at least 4096 bytes");
        if (RatePerSource is < 0) throw new FormatException("rate_per_source must be 0 (unlimited) or more");
        if (DumpTimeoutSeconds is <= 0) throw new FormatException("dump_timeout_seconds must be above 0");
        if (DumpShards is < 1 or > 64) throw new FormatException("dump_shards must be 1 to 64");
        if (Analysts is < 1 or > 64) throw new FormatException("analysts must be 1 to 64");
        if (AnalysisBacklogBytes is < MinQueueBytes) throw new FormatException($"analysis_backlog_bytes must be at least {MinQueueBytes}");
        if (StoreQueueBytes is < MinQueueBytes) throw new FormatException($"store_queue_bytes must be at least {MinQueueBytes}");
        if (HostCrashesPerMinute is < 0) throw new FormatException("host_crashes_per_minute must be 0 (no limit) or more");
        if (HostCrashBytesPerMinute is < 0) throw new FormatException("host_crash_bytes_per_minute must be 0 (no limit) or more");
        _ = new Ingest.SourceAllowlist(Allow ?? []);
        _ = new Ingest.SourceAllowlist(RequireSigned ?? []);
        if (RequireSigned is { Length: > 0 } && KeyFile is null) throw new FormatException("require_signed needs key_file: without the fleet key no signature can be checked");
        var key = KeyFile is null ? null : Protocol.Packets.PacketTag.LoadKey(KeyFile);
        if (Db is not null) _ = Storage.StoreLocation.Parse(Db);
        var rate = RatePerSource ?? defaults.RatePerSource;
        return defaults with
        {
            Netoops = Endpoint("netoops", Netoops) ?? defaults.Netoops,
            Netconsole = Endpoint("netconsole", Netconsole) ?? defaults.Netconsole,
            Http = Endpoint("http", Http) ?? defaults.Http,
            Database = Db ?? defaults.Database,
            ReceiveBufferBytes = ReceiveBuffer ?? defaults.ReceiveBufferBytes,
            Allow = Allow ?? [],
            RatePerSource = rate,
            BurstPerSource = Math.Max(rate * 2, 1),
            DumpTimeout = DumpTimeoutSeconds is { } t ? TimeSpan.FromSeconds(t) : defaults.DumpTimeout,
            RetentionMaxAge = RetentionDays is { } d ? (d > 0 ? TimeSpan.FromDays(d) : null) : defaults.RetentionMaxAge,
            RetentionMaxCrashes = RetentionMaxCrashes is > 0 ? RetentionMaxCrashes : null,
            DumpShards = DumpShards ?? defaults.DumpShards,
            DumpAnalysts = Analysts ?? defaults.DumpAnalysts,
            AnalysisBacklogBytes = AnalysisBacklogBytes ?? defaults.AnalysisBacklogBytes,
            StoreQueueBytes = StoreQueueBytes ?? defaults.StoreQueueBytes,
            HostCrashesPerMinute = HostCrashesPerMinute ?? defaults.HostCrashesPerMinute,
            HostCrashBytesPerMinute = HostCrashBytesPerMinute ?? defaults.HostCrashBytesPerMinute,
            FleetKey = key,
            RequireSigned = RequireSigned ?? [],
        };
    }

    public static IPEndPoint? Endpoint(string name, string? text)
    {
        if (text is null) return null;
        if (IPEndPoint.TryParse(text, out var endPoint) && endPoint.Port > 0 || text.EndsWith(":0", StringComparison.Ordinal) && IPEndPoint.TryParse(text, out endPoint))
            return endPoint;
        throw new FormatException($"{name} must be ADDR:PORT (e.g. 127.0.0.1:2004 or [::]:2004), got '{text}'");
    }
}
