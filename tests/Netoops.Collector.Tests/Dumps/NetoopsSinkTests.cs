using Akka.TestKit.Xunit2;
using Netoops.Collector.Dumps;
using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;
using Netoops.Collector.Tests.Support;
using Netoops.Protocol.Packets;

namespace Netoops.Collector.Tests.Dumps;

public sealed class NetoopsSinkTests : TestKit
{
    private static readonly SourceAddress Host = SourceAddress.FromV4(0x0a000001, 2004);

    [Fact]
    public void Packets_for_a_shard_with_a_full_inbox_are_shed_and_counted_until_it_takes_one()
    {
        var metrics = new CollectorMetrics();
        var shard = CreateTestProbe();
        var shards = DumpShards.Start(1, (_, _) => shard.Ref, inboxCapacity: 2);
        var sink = new NetoopsSink(shards, PacketLimits.Default, metrics);
        var packet = Senders.Slice(KernelLogs.WithWarn(5)).Packets[0];

        for (var i = 0; i < 3; i++) Assert.Null(sink.OnDatagram(packet, Host));
        sink.OnBatchEnd();

        Assert.Equal(2, shard.ExpectMsg<DumpPackets>().Packets.Count);
        shard.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, metrics.DumpPacketsShed.Value);

        shards.All[0].Inbox.Leave();
        Assert.Null(sink.OnDatagram(packet, Host));
        sink.OnBatchEnd();
        Assert.Single(shard.ExpectMsg<DumpPackets>().Packets);
    }

    [Fact]
    public void A_receive_batch_reaches_each_shard_as_one_message_in_arrival_order()
    {
        var probes = new[] { CreateTestProbe(), CreateTestProbe() };
        var shards = DumpShards.Start(2, (_, i) => probes[i].Ref);
        var sink = new NetoopsSink(shards, PacketLimits.Default, new CollectorMetrics());
        var packets = Senders.Slice(KernelLogs.WithWarn(40)).Packets;
        // Two senders that hash to different shards.
        var senders = Enumerable.Range(1, 64).Select(i => SourceAddress.FromV4(0x0a000000u + (uint)i, 2004))
            .GroupBy(s => DumpShards.Index(s.Address, 2)).Select(g => g.First()).ToArray();
        Assert.Equal(2, senders.Length);

        foreach (var packet in packets)
        foreach (var sender in senders)
            Assert.Null(sink.OnDatagram(packet, sender));
        foreach (var probe in probes) probe.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
        sink.OnBatchEnd();

        foreach (var sender in senders)
        {
            var batch = probes[DumpShards.Index(sender.Address, 2)].ExpectMsg<DumpPackets>();
            Assert.All(batch.Packets, p => Assert.Equal(sender, p.Source));
            Assert.Equal(packets.Select(p => p.ToArray()), batch.Packets.Select(p => p.Bytes.ToArray()));
            batch.Packets.ForEach(p => p.Release());
        }
    }

    [Fact]
    public void A_malformed_datagram_is_refused_with_the_decoders_error_and_never_reaches_a_shard()
    {
        var shard = CreateTestProbe();
        var sink = new NetoopsSink(DumpShards.Start(1, (_, _) => shard.Ref), PacketLimits.Default, new CollectorMetrics());

        Assert.NotNull(sink.OnDatagram(new byte[] { 3, 0, 1 }, Host));

        shard.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
