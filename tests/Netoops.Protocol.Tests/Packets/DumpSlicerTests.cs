using System.Text;
using Netoops.Protocol.Packets;
using static Netoops.Protocol.Tests.Packets.Packets;

namespace Netoops.Protocol.Tests.Packets;

public class DumpSlicerTests
{
    [Fact]
    public void Packet_count_is_the_sum_of_each_segments_kilobyte_chunks()
    {
        var dump = DumpSlicer.Slice(Header, Log(1025), Log(10));

        Assert.Equal(3, dump.Packets.Count);
        Assert.All(dump.Packets, p => Assert.Equal(3u, Fields(p).Count));
    }

    [Fact]
    public void Packet_0_carries_the_newest_chunk_and_the_oldest_chunk_the_highest_number()
    {
        var older = Encoding.ASCII.GetBytes(new string('a', 1024) + "bb");
        var newer = Encoding.ASCII.GetBytes(new string('c', 1024) + "dd");

        var dump = DumpSlicer.Slice(Header, older, newer);

        Assert.Equal([(0u, "dd"), (1u, new string('c', 1024)), (2u, "bb"), (3u, new string('a', 1024))],
            dump.Packets.Select(p => (Fields(p).No, Fields(p).Data)));
    }

    [Fact]
    public void A_segment_of_exactly_two_kilobytes_keeps_its_newest_kilobyte()
    {
        // The kernel computes the tail as len % 1024 = 0 and loses the newest kilobyte; we do not.
        var newer = Encoding.ASCII.GetBytes(new string('o', 1024) + new string('n', 1024));

        var dump = DumpSlicer.Slice(Header, newer);

        Assert.Equal(2, dump.Packets.Count);
        Assert.Equal(new string('n', 1024), Fields(dump.Packets[0]).Data);
        Assert.Equal(new string('o', 1024), Fields(dump.Packets[1]).Data);
    }

    [Fact]
    public void An_empty_log_makes_no_packets() => Assert.Empty(DumpSlicer.Slice(Header, [], []).Packets);

    [Fact]
    public void Send_order_repeats_the_whole_dump_once_per_round()
    {
        var dump = DumpSlicer.Slice(Header, Log(3000));

        var sent = dump.SendOrder(3).Select(p => Fields(p).No).ToList();

        Assert.Equal([0u, 1u, 2u, 0u, 1u, 2u, 0u, 1u, 2u], sent);
    }

    [Fact]
    public void Every_packet_is_a_full_1412_byte_x86_64_packet() =>
        Assert.All(DumpSlicer.Slice(Header, Log(5000), Log(100)).Packets, p => Assert.Equal(1412, p.Length));
}
