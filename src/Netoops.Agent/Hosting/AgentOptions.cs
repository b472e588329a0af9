using Netoops.Agent.Log;
using Netoops.Agent.Pstore;

namespace Netoops.Agent.Hosting;

/// <summary>
/// The agent's settings, bound from the "Agent" section of: the JSON file (--config), then
/// environment variables (NETOOPS_Agent__Kmsg=…), then the command line (highest precedence).
/// </summary>
public sealed class AgentOptions
{
    public const string Section = "Agent";

    /// <summary>Where kernel records come from: /dev/kmsg, or a FIFO that a test or a replay writes.</summary>
    public string Kmsg { get; set; } = "/dev/kmsg";

    /// <summary>Replay the records already in the ring at start instead of starting after the newest.</summary>
    public bool KmsgHistory { get; set; }

    /// <summary>netoops targets in boot-parameter syntax (targets cmdline0…, enabled at start).</summary>
    public string? Netoops { get; set; }

    /// <summary>netconsole targets in boot-parameter syntax.</summary>
    public string? Netconsole { get; set; }

    /// <summary>The management API's Unix socket (mode 0600).</summary>
    public string Socket { get; set; } = "/run/netoops/agent.sock";

    /// <summary>Spool, boot history and pstore bookkeeping live here; it must survive reboots.</summary>
    public string StateDir { get; set; } = "/var/lib/netoops-agent";

    public int LogRingBytes { get; set; } = LogRing.DefaultCapacityBytes;

    /// <summary>The fleet key file: netoops packets are signed with it (HMAC-SHA256 in the user blob's tail; the blob then holds at most 107 bytes).</summary>
    public string? KeyFile { get; set; }

    public static readonly string[] DefaultPstoreFolders = ["/sys/fs/pstore", "/var/lib/systemd/pstore"];

    /// <summary>Where pstore records are harvested; <see cref="DefaultPstoreFolders"/> when none are configured.
    /// (Empty by default because the configuration binder appends to an array instead of replacing it.)</summary>
    public string[] PstoreFolders { get; set; } = [];

    public IReadOnlyList<string> EffectivePstoreFolders => PstoreFolders.Length > 0 ? PstoreFolders : DefaultPstoreFolders;

    public PstoreDisposal PstoreDisposal { get; set; } = PstoreDisposal.Archive;

    /// <summary>netoops boot_id; by default the first 4 bytes of the boot UUID.</summary>
    public uint? BootId { get; set; }

    /// <summary>netoops user_blob (≤ 128 bytes); by default <c>host=…;board=…;bios=…</c>.</summary>
    public string? UserBlob { get; set; }

    /// <summary>Also dump on OOM kills (the vendor kernels' netoops_record_oom).</summary>
    public bool RecordOom { get; set; }

    /// <summary>Minimum seconds between two live dumps of the same reason (a crash loop must not flood the collector).</summary>
    public double DumpRateLimitSeconds { get; set; } = 5;

    /// <summary>netconsole's oops_only: stream only the lines of crash reports.</summary>
    public bool NetconsoleOopsOnly { get; set; }

    /// <summary>Ordinary records per second streamed to netconsole targets (crash lines bypass the limit).</summary>
    public double NetconsoleRatePerSecond { get; set; } = 1000;

    /// <summary>Records that may go out at once before <see cref="NetconsoleRatePerSecond"/> applies.</summary>
    public int NetconsoleBurst { get; set; } = 5000;

    /// <summary>
    /// GC heap hard limit in MiB; 0 (default) leaves the runtime's. The agent runs in well under
    /// 32 MiB of heap, crash analysis included.
    /// </summary>
    public int HeapLimitMiB { get; set; }

    public int SpoolMaxDumps { get; set; } = 64;

    public long SpoolMaxBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>TCP port for Prometheus metrics on loopback; none when unset.</summary>
    public int? MetricsPort { get; set; }

    /// <summary>Root for /proc and /sys reads (machine facts); "/" except in tests.</summary>
    public string MachineRoot { get; set; } = "/";

    /// <summary>Validates what binding cannot; returns the problems, none when usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Kmsg)) yield return "Kmsg: a path is required";
        if (string.IsNullOrWhiteSpace(Socket)) yield return "Socket: a path is required";
        if (string.IsNullOrWhiteSpace(StateDir)) yield return "StateDir: a directory is required";
        if (LogRingBytes < 4096) yield return $"LogRingBytes: {LogRingBytes} is below the 4096 minimum";
        if (UserBlob is not null && System.Text.Encoding.UTF8.GetByteCount(UserBlob) > 128)
            yield return "UserBlob: longer than 128 bytes";
        if (KeyFile is not null && !File.Exists(KeyFile)) yield return $"KeyFile: {KeyFile} does not exist";
        if (KeyFile is not null && UserBlob is not null && System.Text.Encoding.UTF8.GetByteCount(UserBlob) > Protocol.Packets.PacketTag.MaxBlobText)
            yield return $"UserBlob: at most {Protocol.Packets.PacketTag.MaxBlobText} bytes when packets are signed (KeyFile): the tag takes the field's last {Protocol.Packets.PacketTag.Size}";
        if (SpoolMaxDumps < 1) yield return "SpoolMaxDumps: at least 1";
        if (HeapLimitMiB is > 0 and < 32) yield return $"HeapLimitMiB: {HeapLimitMiB} is below 32 (0 = no limit)";
        if (DumpRateLimitSeconds < 0) yield return "DumpRateLimitSeconds: not negative";
        if (NetconsoleRatePerSecond <= 0) yield return "NetconsoleRatePerSecond: above 0";
        if (NetconsoleBurst < 1) yield return "NetconsoleBurst: at least 1";
        if (MetricsPort is < 1 or > 65535) yield return $"MetricsPort: {MetricsPort} is not a TCP port";
    }
}
