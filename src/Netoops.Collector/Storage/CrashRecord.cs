namespace Netoops.Collector.Storage;

/// <summary>The x86 CPU identity carried by a netoops packet (vendor code as in the packet).</summary>
public sealed record CpuIdentity(int Vendor, int Family, int Model, int Stepping);

/// <summary>The machine named by the report's `Hardware name:` line, split from the right.</summary>
public sealed record MachineIdentity(string Hardware, string Board, string Bios)
{
    public static readonly MachineIdentity Unknown = new("", "", "");
}

/// <summary>Where a crash came from: a netoops dump or a crash seen on a netconsole stream.</summary>
public static class CrashOrigin
{
    public const string Netoops = "netoops";
    public const string Netconsole = "netconsole";
}

/// <summary>How a crash got its title and bucket.</summary>
public static class CrashAnalysedBy
{
    public const string Analysis = "analysis";
    public const string Fingerprint = "fingerprint";
}

/// <summary>
/// One crash ready to be stored: what the wire said (source, header fields, completeness) plus
/// what analysis made of the text (kind, title, bucket key, machine facts, registers).
/// </summary>
public sealed record CrashRecord
{
    public required string Origin { get; init; }
    /// <summary>The sender's address (the host key), e.g. `10.0.0.7`.</summary>
    public required string HostAddress { get; init; }
    /// <summary>The sender's address and port, e.g. `10.0.0.7:2004`.</summary>
    public required string Source { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public required string BucketKey { get; init; }
    public required string Title { get; init; }
    public required string Kind { get; init; }
    public string Kernel { get; init; } = "";
    public uint? BootId { get; init; }
    public ushort? DumpId { get; init; }
    public ushort? DumpType { get; init; }
    public CpuIdentity? Cpu { get; init; }
    public MachineIdentity Machine { get; init; } = MachineIdentity.Unknown;
    public string UserBlob { get; init; } = "";
    /// <summary>Register name (lower case, e.g. `ip`, `sp`, `ax`) to value.</summary>
    public IReadOnlyDictionary<string, ulong> Registers { get; init; } = new Dictionary<string, ulong>();
    public bool Complete { get; init; } = true;
    public int? PacketCount { get; init; }
    /// <summary>Packet numbers that never arrived (partial netoops dumps).</summary>
    public IReadOnlyList<int> Missing { get; init; } = [];
    /// <summary>The crash report itself (from its start marker to its end).</summary>
    public required string Report { get; init; }
    /// <summary>The whole text received (the dump, or the lines around a netconsole crash).</summary>
    public required string LogText { get; init; }

    /// <summary>
    /// <see cref="CrashAnalysedBy.Analysis"/>, or <see cref="CrashAnalysedBy.Fingerprint"/> for a dump
    /// counted in a storm as an occurrence of a report analysed moments before (no text kept).
    /// </summary>
    public string AnalysedBy { get; init; } = CrashAnalysedBy.Analysis;

    /// <summary>Its sender signed it with the fleet key (every packet's tag verified).</summary>
    public bool Authenticated { get; init; }
}
