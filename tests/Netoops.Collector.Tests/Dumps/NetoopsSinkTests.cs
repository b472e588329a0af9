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

        shard.ExpectMsg<DumpPacket>().Release();
        shard.ExpectMsg<DumpPacket>().Release();
        shard.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, metrics.DumpPacketsShed.Value);

        shards.All[0].Inbox.Leave();
        Assert.Null(sink.OnDatagram(packet, Host));
        shard.ExpectMsg<DumpPacket>().Release();
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
