using System.Text;

namespace Netoops.Protocol.Packets;

/// <summary>
/// The header fields every packet of one dump shares: everything except packet_count and packet_no.
/// Encoding validates sizes; decoding fills it from a packet.
/// </summary>
public sealed record DumpHeader
{
    /// <summary>Sender's uptime in seconds &amp; 0xffff at dump time.</summary>
    public ushort DumpId { get; init; }

    public DumpType Type { get; init; } = DumpType.Oops;

    /// <summary>User-programmable (sysfs <c>netoops_boot_id</c>).</summary>
    public uint BootId { get; init; }

    /// <summary><c>uname -r</c>; at most 64 bytes of UTF-8, no NUL needed.</summary>
    public string KernelVersion { get; init; } = "";

    /// <summary>User-programmable bytes (sysfs <c>netoops_user_blob</c>), at most 128.</summary>
    public ReadOnlyMemory<byte> UserBlob { get; init; }

    public X86Cpu Cpu { get; init; } = X86Cpu.Unknown;

    public X86Registers Registers { get; init; }

    /// <summary>The user blob read as UTF-8 text, trailing NULs dropped.</summary>
    public string UserBlobText => Encoding.UTF8.GetString(UserBlob.Span.TrimEnd((byte)0));

    public static ReadOnlyMemory<byte> BlobFromText(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Why this header cannot go on the wire, or null when it can.</summary>
    public string? Problem()
    {
        if (Encoding.UTF8.GetByteCount(KernelVersion) > PacketLayout.KernelVersionSize)
            return $"kernel version is longer than {PacketLayout.KernelVersionSize} bytes";
        if (UserBlob.Length > PacketLayout.UserBlobSize)
            return $"user blob is longer than {PacketLayout.UserBlobSize} bytes";
        if (!Enum.IsDefined(Type))
            return $"dump type {(ushort)Type} is not one of oops (1), soft (3)";
        return null;
    }

    public bool Equals(DumpHeader? other) =>
        other is not null
        && DumpId == other.DumpId && Type == other.Type && BootId == other.BootId
        && KernelVersion == other.KernelVersion && Cpu == other.Cpu && Registers == other.Registers
        && UserBlob.Span.SequenceEqual(other.UserBlob.Span);

    public override int GetHashCode() => HashCode.Combine(DumpId, Type, BootId, KernelVersion, Cpu, Registers);
}
