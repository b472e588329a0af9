using System.Buffers.Binary;
using Netoops.Protocol.Packets;

namespace Netoops.Protocol.Tests.Packets;

public class PacketErrorTests
{
    private static byte[] ValidPacket()
    {
        var packet = new byte[PacketLayout.X86_64PacketSize];
        NetoopsPacket.Write(new DumpHeader { KernelVersion = "6.1.0" }, 4, 1, "text"u8, packet);
        return packet;
    }

    private static PacketError Decode(byte[] bytes, PacketLimits? limits = null) =>
        NetoopsPacket.TryDecode(bytes, limits ?? PacketLimits.Default, out _);

    private static byte[] With(Action<byte[]> change)
    {
        var packet = ValidPacket();
        change(packet);
        return packet;
    }

    [Fact]
    public void A_valid_packet_decodes_without_error() => Assert.Equal(PacketError.None, Decode(ValidPacket()));

    [Fact]
    public void An_empty_datagram_is_short() => Assert.Equal(PacketError.ShortDatagram, Decode([]));

    [Fact]
    public void A_datagram_cut_inside_the_header_is_short() =>
        Assert.Equal(PacketError.ShortDatagram, Decode(ValidPacket()[..219]));

    [Fact]
    public void Version_2_is_refused_as_wrong_version() =>
        Assert.Equal(PacketError.WrongVersion, Decode(With(p => p[0] = 2)));

    [Fact]
    public void A_big_endian_version_is_refused_as_wrong_version() =>
        Assert.Equal(PacketError.WrongVersion, Decode(With(p => { p[0] = 0; p[1] = 3; })));

    [Fact]
    public void An_arch_other_than_x86_is_unsupported() =>
        Assert.Equal(PacketError.UnsupportedArch, Decode(With(p => p[6] = 3)));

    [Fact]
    public void Dump_type_2_is_unknown() =>
        Assert.Equal(PacketError.UnknownDumpType, Decode(With(p => p[10] = 2)));

    [Fact]
    public void An_arch_offset_inside_the_common_header_is_out_of_range() =>
        Assert.Equal(PacketError.ArchOffsetOutOfRange, Decode(With(p => p[8] = 200)));

    [Fact]
    public void An_arch_offset_past_the_datagram_is_out_of_range() =>
        Assert.Equal(PacketError.ArchOffsetOutOfRange,
            Decode(With(p => BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(8), 1410))));

    [Fact]
    public void A_data_offset_inside_the_arch_block_is_out_of_range() =>
        Assert.Equal(PacketError.DataOffsetOutOfRange,
            Decode(With(p => BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(4), 218))));

    [Fact]
    public void A_data_offset_past_the_datagram_is_out_of_range() =>
        Assert.Equal(PacketError.DataOffsetOutOfRange,
            Decode(With(p => BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(4), 0xffff))));

    [Fact]
    public void More_than_1024_bytes_after_data_offset_is_too_long() =>
        Assert.Equal(PacketError.DataTooLong, Decode([.. ValidPacket(), 0]));

    [Fact]
    public void A_packet_no_equal_to_packet_count_is_out_of_range() =>
        Assert.Equal(PacketError.PacketNoOutOfRange, Decode(With(p => p[16] = 4)));

    [Fact]
    public void A_packet_count_of_zero_leaves_no_valid_packet_no() =>
        Assert.Equal(PacketError.PacketNoOutOfRange, Decode(With(p => { p[12] = 0; p[16] = 0; })));

    [Fact]
    public void An_absurd_packet_count_is_over_the_cap() =>
        Assert.Equal(PacketError.PacketCountOverCap,
            Decode(With(p => BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(12), uint.MaxValue))));

    [Fact]
    public void The_packet_count_cap_is_configurable() =>
        Assert.Equal(PacketError.PacketCountOverCap, Decode(ValidPacket(), new PacketLimits(3)));

    [Fact]
    public void A_packet_with_less_than_1024_data_bytes_is_accepted() =>
        Assert.Equal(PacketError.None, Decode(ValidPacket()[..400]));

    [Fact]
    public void Every_error_has_a_code_and_a_description()
    {
        foreach (var error in Enum.GetValues<PacketError>())
        {
            Assert.NotEqual("unknown", error.Code());
            Assert.NotEqual("unknown error", error.Describe());
        }
    }
}
