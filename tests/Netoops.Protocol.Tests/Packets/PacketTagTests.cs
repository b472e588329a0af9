using System.Text;
using Netoops.Protocol.Packets;

namespace Netoops.Protocol.Tests.Packets;

public sealed class PacketTagTests
{
    private static readonly byte[] Key = Encoding.ASCII.GetBytes("a fleet key of thirty-two bytes!");

    private static DumpHeader Header(string blob = "rack=b12 row=4") => new()
    {
        DumpId = 9, BootId = 77, Type = DumpType.Oops, KernelVersion = "6.1.0-56-cloud-amd64",
        UserBlob = DumpHeader.BlobFromText(blob), Cpu = new X86Cpu(0, 6, 85, 4),
    };

    private static byte[][] Signed(string text = "BUG: kernel NULL pointer dereference\n", string blob = "rack=b12 row=4", byte[]? key = null) =>
        [.. DumpSlicer.Slice(Header(blob), [], Encoding.ASCII.GetBytes(text), key ?? Key).Packets.Select(p => p.ToArray())];

    [Fact]
    public void A_signed_packet_verifies_with_the_fleet_key_and_a_stock_decoder_reads_the_same_blob_and_text()
    {
        var packet = Signed()[0];
        var unsigned = DumpSlicer.Slice(Header(), [], "BUG: kernel NULL pointer dereference\n"u8).Packets[0].ToArray();

        Assert.Equal(TagVerdict.Valid, PacketTag.Verify(packet, Key));
        Assert.Equal(TagVerdict.Unsigned, PacketTag.Verify(unsigned, Key));
        Assert.Equal(PacketError.None, NetoopsPacket.TryDecode(packet, out var decoded));
        Assert.Equal("rack=b12 row=4", Encoding.ASCII.GetString(decoded.UserBlob));
        Assert.Equal("BUG: kernel NULL pointer dereference\n", Encoding.ASCII.GetString(decoded.Data));
        // A C reader of the field (strnlen, as netoops.c writes it) stops where ours does.
        var field = packet.AsSpan(PacketLayout.UserBlobOffset, PacketLayout.UserBlobSize);
        Assert.Equal(decoded.UserBlob.Length, field.IndexOf((byte)0));
    }

    [Theory]
    [InlineData(PacketLayout.X86_64DataOffset)]      // the text
    [InlineData(PacketLayout.DumpIdOffset)]          // which dump
    [InlineData(PacketLayout.PacketNoOffset)]        // which packet
    [InlineData(PacketLayout.BootIdOffset)]          // which boot
    [InlineData(PacketLayout.X86_64ArchOffset + 10)] // a register
    [InlineData(PacketTag.TagOffset + 3)]            // the tag itself
    public void Any_byte_changed_after_signing_fails_verification(int offset)
    {
        var packet = Signed()[0];
        packet[offset] ^= 0x01;

        Assert.Equal(TagVerdict.Invalid, PacketTag.Verify(packet, Key));
    }

    [Fact]
    public void Another_key_forges_nothing_and_every_packet_of_a_dump_carries_its_own_tag()
    {
        var forged = Signed(key: Encoding.ASCII.GetBytes("an attacker's guess at the key.."))[0];
        var packets = Signed(new string('x', 3000));

        Assert.Equal(TagVerdict.Invalid, PacketTag.Verify(forged, Key));
        Assert.All(packets, p => Assert.Equal(TagVerdict.Valid, PacketTag.Verify(p, Key)));
        Assert.Equal(packets.Length, packets.Select(p => Convert.ToHexString(p.AsSpan(PacketTag.TagOffset, PacketTag.TagBytes))).Distinct().Count());
    }

    [Fact]
    public void A_blob_too_long_to_leave_room_for_the_tag_is_cut_where_the_tag_begins()
    {
        var packet = Signed(blob: new string('b', 128))[0];

        Assert.Equal(TagVerdict.Valid, PacketTag.Verify(packet, Key));
        NetoopsPacket.TryDecode(packet, out var decoded);
        Assert.Equal(PacketTag.MaxBlobText, decoded.UserBlob.Length);
    }

    [Fact]
    public void A_key_file_is_its_bytes_without_trailing_whitespace_and_too_short_a_key_is_refused()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "c2VjcmV0LWZsZWV0LWtleS0wMTIzNDU2Nzg5\n");
            Assert.Equal("c2VjcmV0LWZsZWV0LWtleS0wMTIzNDU2Nzg5"u8.ToArray(), PacketTag.LoadKey(path));
            File.WriteAllText(path, "short\n");
            Assert.Contains("at least 16 bytes", Assert.Throws<FormatException>(() => PacketTag.LoadKey(path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
