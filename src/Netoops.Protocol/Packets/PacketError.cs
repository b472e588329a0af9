namespace Netoops.Protocol.Packets;

/// <summary>Why a datagram is not a usable netoops v3 packet. <see cref="None"/> means it is.</summary>
public enum PacketError
{
    None = 0,
    ShortDatagram,
    WrongVersion,
    UnsupportedArch,
    UnknownDumpType,
    ArchOffsetOutOfRange,
    DataOffsetOutOfRange,
    DataTooLong,
    PacketNoOutOfRange,
    PacketCountOverCap,
}

public static class PacketErrorText
{
    /// <summary>Stable snake_case code for JSON and counters.</summary>
    public static string Code(this PacketError error) => error switch
    {
        PacketError.None => "none",
        PacketError.ShortDatagram => "short_datagram",
        PacketError.WrongVersion => "wrong_version",
        PacketError.UnsupportedArch => "unsupported_arch",
        PacketError.UnknownDumpType => "unknown_dump_type",
        PacketError.ArchOffsetOutOfRange => "arch_offset_out_of_range",
        PacketError.DataOffsetOutOfRange => "data_offset_out_of_range",
        PacketError.DataTooLong => "data_too_long",
        PacketError.PacketNoOutOfRange => "packet_no_out_of_range",
        PacketError.PacketCountOverCap => "packet_count_over_cap",
        _ => "unknown",
    };

    /// <summary>One sentence a person reading a capture understands.</summary>
    public static string Describe(this PacketError error) => error switch
    {
        PacketError.None => "a valid netoops v3 packet",
        PacketError.ShortDatagram => $"datagram shorter than the {PacketLayout.CommonHeaderSize + PacketLayout.CpuSize}-byte netoops header",
        PacketError.WrongVersion => "version at offset 0 is not 3",
        PacketError.UnsupportedArch => "arch is not 2 (x86), the only one netoops defines",
        PacketError.UnknownDumpType => "type is neither 1 (printk buffer) nor 3 (soft dump)",
        PacketError.ArchOffsetOutOfRange => "arch_offset points inside the common header or past the data",
        PacketError.DataOffsetOutOfRange => "data_offset is before the end of the arch block or past the datagram",
        PacketError.DataTooLong => $"more than {PacketLayout.DataSize} bytes of data follow data_offset",
        PacketError.PacketNoOutOfRange => "packet_no is not below packet_count",
        PacketError.PacketCountOverCap => "packet_count is above the receiver's cap",
        _ => "unknown error",
    };
}
