using System.Buffers.Binary;
using System.Text;
using Netoops.Actors.Linux;

namespace Netoops.Actors.Tests.Linux;

public class RtnetlinkParserTests
{
    /// <summary>Builds one netlink link message the way the kernel lays it out.</summary>
    internal static byte[] LinkMessage(ushort type, int index, string? name, uint flags = 0x41, int master = 0, byte[]? mac = null, uint seq = 0)
    {
        var attrs = new List<byte>();
        void Attr(ushort t, byte[] payload)
        {
            var len = 4 + payload.Length;
            var a = new byte[(len + 3) & ~3];
            BinaryPrimitives.WriteUInt16LittleEndian(a, (ushort)len);
            BinaryPrimitives.WriteUInt16LittleEndian(a.AsSpan(2), t);
            payload.CopyTo(a, 4);
            attrs.AddRange(a);
        }
        if (name is not null) Attr(3, Encoding.ASCII.GetBytes(name + "\0"));
        if (mac is not null) Attr(1, mac);
        if (master != 0) Attr(10, BitConverter.GetBytes(master));
        var msg = new byte[16 + 16 + attrs.Count];
        BinaryPrimitives.WriteUInt32LittleEndian(msg, (uint)msg.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(msg.AsSpan(4), type);
        BinaryPrimitives.WriteUInt32LittleEndian(msg.AsSpan(8), seq);
        BinaryPrimitives.WriteInt32LittleEndian(msg.AsSpan(16 + 4), index);
        BinaryPrimitives.WriteUInt32LittleEndian(msg.AsSpan(16 + 8), flags);
        attrs.CopyTo(msg, 32);
        return msg;
    }

    [Fact]
    public void A_newlink_message_yields_index_name_mac_master_and_up()
    {
        var mac = new byte[] { 2, 0, 0, 0, 0, 7 };
        var link = Assert.Single(RtnetlinkParser.Parse(LinkMessage(16, 7, "eth0", flags: 0x41, master: 3, mac: mac)).Links);
        Assert.Equal((false, 7, "eth0", 3, true), (link.Deleted, link.Index, link.Name, link.Master, link.Up));
        Assert.Equal(mac, link.Mac!.GetAddressBytes());
    }

    [Fact]
    public void Up_needs_both_admin_up_and_running() =>
        Assert.False(Assert.Single(RtnetlinkParser.Parse(LinkMessage(16, 7, "eth0", flags: 0x1)).Links).Up);

    [Fact]
    public void Several_messages_in_one_datagram_and_a_done_are_all_read()
    {
        var batch = RtnetlinkParser.Parse([.. LinkMessage(16, 1, "lo"), .. LinkMessage(17, 2, "eth0"), .. Done()]);
        Assert.Equal([1, 2], batch.Links.Select(l => l.Index));
        Assert.True(batch.Links[1].Deleted);
        Assert.True(batch.Done);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(31)]
    public void A_truncated_message_is_counted_as_malformed_not_thrown(int keep)
    {
        var bytes = LinkMessage(16, 1, "eth0").AsSpan(0, keep).ToArray();
        var batch = RtnetlinkParser.Parse(bytes);
        Assert.Empty(batch.Links);
        Assert.Equal(keep >= 16 ? 1 : 0, batch.Malformed);
    }

    [Fact]
    public void An_attribute_running_past_the_message_is_malformed()
    {
        var bytes = LinkMessage(16, 1, "eth0");
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(32), 200);
        Assert.Equal(1, RtnetlinkParser.Parse(bytes).Malformed);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(1234);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            if (bytes.Length >= 4) BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)random.Next(0, bytes.Length + 1));
            RtnetlinkParser.Parse(bytes);
        }
    }

    [Fact]
    public void The_dump_request_asks_for_every_link()
    {
        var request = RtnetlinkParser.DumpRequest(9);
        Assert.Equal(32u, BinaryPrimitives.ReadUInt32LittleEndian(request));
        Assert.Equal(18, BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(4)));
        Assert.Equal(0x301, BinaryPrimitives.ReadUInt16LittleEndian(request.AsSpan(6)));
        Assert.Equal(9u, BinaryPrimitives.ReadUInt32LittleEndian(request.AsSpan(8)));
    }

    private static byte[] Done()
    {
        var msg = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(msg, 20);
        BinaryPrimitives.WriteUInt16LittleEndian(msg.AsSpan(4), 3);
        return msg;
    }
}
