using System.Text;
using Netoops.Protocol.Packets;

namespace Netoops.Protocol.Tests.Packets;

/// <summary>Expected bytes written out by hand from the layout table in REFERENCE §1.</summary>
public class PacketGoldenTests
{
    private static readonly DumpHeader Header = new()
    {
        DumpId = 0x1234,
        Type = DumpType.Oops,
        BootId = 0xA1B2C3D4,
        KernelVersion = "6.1.0-56-cloud-amd64",
        UserBlob = "rack=7"u8.ToArray(),
        Cpu = new X86Cpu(2, 25, 1, 1),
        Registers = X86Registers.AtKernelIp(0xffffffffc0a01011),
    };

    private static byte[] HandMadeFirstPacket()
    {
        var p = new byte[1412];
        p[0] = 0x03; p[1] = 0x00;                               // version 3
        p[2] = 0x34; p[3] = 0x12;                               // dump_id 0x1234
        p[4] = 0x84; p[5] = 0x01;                               // data_offset 388
        p[6] = 0x02; p[7] = 0x00;                               // arch x86
        p[8] = 0xD8; p[9] = 0x00;                               // arch_offset 216
        p[10] = 0x01; p[11] = 0x00;                             // type 1
        p[12] = 0x02; p[13] = 0x00; p[14] = 0x00; p[15] = 0x00; // packet_count 2
        p[16] = 0x00; p[17] = 0x00; p[18] = 0x00; p[19] = 0x00; // packet_no 0
        p[20] = 0xD4; p[21] = 0xC3; p[22] = 0xB2; p[23] = 0xA1; // boot_id
        Encoding.ASCII.GetBytes("6.1.0-56-cloud-amd64").CopyTo(p, 24);
        Encoding.ASCII.GetBytes("rack=7").CopyTo(p, 88);
        p[216] = 2; p[217] = 25; p[218] = 1; p[219] = 1;        // AMD family 25 model 1 stepping 1
        // pt_regs at 220: ip is register 16 (offset 220 + 128), cs 17 (+136), flags 18 (+144)
        new byte[] { 0x11, 0x10, 0xA0, 0xC0, 0xFF, 0xFF, 0xFF, 0xFF }.CopyTo(p, 348);
        p[356] = 0x10;
        p[364] = 0x46; p[365] = 0x02;
        Encoding.ASCII.GetBytes("newest text\n").CopyTo(p, 388); // the rest of data stays zero
        return p;
    }

    [Fact]
    public void Writing_a_packet_matches_the_layout_table_byte_for_byte()
    {
        var packet = new byte[PacketLayout.X86_64PacketSize];

        var length = NetoopsPacket.Write(Header, 2, 0, "newest text\n"u8, packet);

        Assert.Equal(1412, length);
        Assert.Equal(HandMadeFirstPacket(), packet);
    }

    [Fact]
    public void Decoding_the_hand_made_packet_reads_every_field()
    {
        var error = NetoopsPacket.TryDecode(HandMadeFirstPacket(), out var packet);

        Assert.Equal(PacketError.None, error);
        Assert.Equal(3, packet.Version);
        Assert.Equal(0x1234, packet.DumpId);
        Assert.Equal(388, packet.DataOffset);
        Assert.Equal(216, packet.ArchOffset);
        Assert.Equal(DumpType.Oops, packet.Type);
        Assert.Equal(2u, packet.PacketCount);
        Assert.Equal(0u, packet.PacketNo);
        Assert.Equal(0xA1B2C3D4u, packet.BootId);
        Assert.Equal("6.1.0-56-cloud-amd64", Encoding.ASCII.GetString(packet.KernelVersion));
        Assert.Equal("rack=7", Encoding.ASCII.GetString(packet.UserBlob));
        Assert.Equal(new X86Cpu(2, 25, 1, 1), packet.Cpu);
        Assert.Equal(0xffffffffc0a01011UL, packet.Registers[X86Register.Ip]);
        Assert.Equal(0x10UL, packet.Registers[X86Register.Cs]);
        Assert.Equal(0x246UL, packet.Registers[X86Register.Flags]);
        Assert.Equal("newest text\n", Encoding.ASCII.GetString(packet.Data));
        Assert.Equal(Header, packet.ToHeader());
    }

    [Fact]
    public void A_kernel_version_of_exactly_64_bytes_fills_the_field_without_a_nul()
    {
        var version = new string('v', 64);
        var packet = new byte[PacketLayout.X86_64PacketSize];
        NetoopsPacket.Write(Header with { KernelVersion = version }, 1, 0, "x"u8, packet);

        Assert.Equal((byte)'v', packet[24 + 63]);
        Assert.Equal(PacketError.None, NetoopsPacket.TryDecode(packet, out var decoded));
        Assert.Equal(version, Encoding.ASCII.GetString(decoded.KernelVersion));
    }

    [Fact]
    public void A_32_bit_packet_is_accepted_and_its_registers_mapped_by_name()
    {
        // i386: arch block = cpu (4) + 17 × u32 pt_regs (68), data at 288.
        var p = new byte[288 + 1024];
        p[0] = 3; p[4] = 0x20; p[5] = 0x01; p[6] = 2; p[8] = 0xD8; p[10] = 3; p[12] = 1;
        p[220 + 12 * 4] = 0x78; p[220 + 12 * 4 + 1] = 0x56; p[220 + 12 * 4 + 2] = 0x34; p[220 + 12 * 4 + 3] = 0xC1; // ip
        p[220 + 15 * 4] = 0xF0;                                                                                      // sp
        "soft dump"u8.CopyTo(p.AsSpan(288));

        Assert.Equal(PacketError.None, NetoopsPacket.TryDecode(p, out var packet));
        Assert.Equal(68, packet.RegisterBlockSize);
        Assert.Equal(DumpType.Soft, packet.Type);
        Assert.Equal(0xC1345678UL, packet.Registers[X86Register.Ip]);
        Assert.Equal(0xF0UL, packet.Registers[X86Register.Sp]);
        Assert.Equal("soft dump", Encoding.ASCII.GetString(packet.Data));
    }

    [Fact]
    public void A_32_bit_packet_with_a_60_byte_register_block_maps_the_15_registers_it_has()
    {
        // arch block = cpu (4) + 15 × u32 (bx … flags), data at 216 + 64 = 280.
        var p = new byte[280 + 10];
        p[0] = 3; p[4] = 0x18; p[5] = 0x01; p[6] = 2; p[8] = 0xD8; p[10] = 1; p[12] = 1;
        p[220] = 0xBB;                 // bx
        p[220 + 14 * 4] = 0x46;        // flags, the last register of the short block
        "oops text!"u8.CopyTo(p.AsSpan(280));

        Assert.Equal(PacketError.None, NetoopsPacket.TryDecode(p, out var packet));
        Assert.Equal(60, packet.RegisterBlockSize);
        Assert.Equal(0xBBUL, packet.Registers[X86Register.Bx]);
        Assert.Equal(0x46UL, packet.Registers[X86Register.Flags]);
        Assert.Equal(0UL, packet.Registers[X86Register.Sp]);
        Assert.Equal("oops text!", Encoding.ASCII.GetString(packet.Data));
    }

    [Fact]
    public void Writing_a_header_with_an_oversized_user_blob_is_refused()
    {
        var packet = new byte[PacketLayout.X86_64PacketSize];
        var header = Header with { UserBlob = new byte[129] };

        var refusal = Assert.Throws<ArgumentException>(() => NetoopsPacket.Write(header, 1, 0, "x"u8, packet));
        Assert.Contains("user blob is longer than 128 bytes", refusal.Message);
    }
}
