using System.Net;
using Netoops.Collector.Storage;

namespace Netoops.Collector.Hosting;

/// <summary>Everything a collector is started with; defaults are those of `netoops collector`.</summary>
public sealed record CollectorOptions
{
    public IPEndPoint Netoops { get; init; } = new(IPAddress.Loopback, 2004);
    public IPEndPoint Netconsole { get; init; } = new(IPAddress.Loopback, 6666);
    public string Database { get; init; } = StoreLocation.Default;
    public IPEndPoint Http { get; init; } = new(IPAddress.Loopback, 8080);

    /// <summary>Socket receive buffer asked of the kernel (SO_RCVBUFFORCE when permitted).</summary>
    public int ReceiveBufferBytes { get; init; } = 8 << 20;
    /// <summary>Senders allowed (CIDRs); empty allows everyone.</summary>
    public IReadOnlyList<string> Allow { get; init; } = [];
    /// <summary>The fleet key netoops packets are signed with (<see cref="Ingest.SenderAuth"/>); null: tags are not checked.</summary>
    public byte[]? FleetKey { get; init; }
    /// <summary>Networks (CIDRs) whose netoops packets must be signed; the rest may be unsigned (stock kernels cannot sign).</summary>
    public IReadOnlyList<string> RequireSigned { get; init; } = [];
    /// <summary>Datagrams per second per sender address; 0 = unlimited.</summary>
    public double RatePerSource { get; init; } = 50_000;
    public double BurstPerSource { get; init; } = 100_000;

    /// <summary>How long a dump waits for missing packets before it is stored as partial.</summary>
    public TimeSpan DumpTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Memory that dumps being assembled may reserve, per sender and overall.</summary>
    public long MaxPendingBytesPerSource { get; init; } = 32L << 20;
    public long MaxPendingBytes { get; init; } = 128L << 20;
    /// <summary>Dump shards (each owns the dumps of the senders hashed to it, and an equal share of <see cref="MaxPendingBytes"/>).</summary>
    public int DumpShards { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 8);
    /// <summary>Actors titling and bucketing finished dumps.</summary>
    public int DumpAnalysts { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>Netconsole lines kept around a crash, and per host for `/api/hosts/{address}/tail`.</summary>
    public int ContextLines { get; init; } = 50;
    public int TailLinesPerHost { get; init; } = 200;
    public int MaxSessions { get; init; } = 100_000;

    public int StoreBatchSize { get; init; } = 500;
    public int StoreQueueCapacity { get; init; } = 100_000;
    /// <summary>Memory crashes waiting for the database may hold; beyond it (or the count) they are dropped, counted.</summary>
    public long StoreQueueBytes { get; init; } = 32L << 20;
    /// <summary>Memory finished dumps waiting for analysis may hold; beyond it they are dropped, counted.</summary>
    public long AnalysisBacklogBytes { get; init; } = 16L << 20;
    /// <summary>
    /// How long an analysis is reused for dumps whose report fingerprint matches (a crash storm);
    /// zero analyses every dump.
    /// </summary>
    public TimeSpan StormFoldHorizon { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Crashes, and bytes of their text, one host may have stored per minute (0: no limit); the excess is counted per host.</summary>
    public int HostCrashesPerMinute { get; init; } = 60;
    public long HostCrashBytesPerMinute { get; init; } = 16L << 20;
    public TimeSpan? RetentionMaxAge { get; init; } = TimeSpan.FromDays(90);
    public long? RetentionMaxCrashes { get; init; }
}
