using Akka.Actor;
using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;
using Netoops.Protocol.Packets;

namespace Netoops.Collector.Dumps;

/// <summary>
/// The netoops receive loop's sink: validates each datagram in place (refusals are counted by the
/// loop under the decoder's error code) and hands a valid packet, copied into a pooled buffer, to
/// the shard that owns its sender. The shard returns the buffer to the pool once it has read it.
/// A shard too far behind gets no more packets until it catches up: they are shed and counted.
/// </summary>
public sealed class NetoopsSink(DumpShards shards, PacketLimits limits, CollectorMetrics metrics) : IDatagramSink
{
    public string? OnDatagram(ReadOnlyMemory<byte> datagram, in SourceAddress source)
    {
        var error = NetoopsPacket.TryDecode(datagram.Span, limits, out _);
        if (error != PacketError.None) return error.Code();
        var shard = shards.For(source);
        if (!shard.Inbox.TryEnter())
        {
            metrics.DumpPacketsShed.Increment();
            return null;
        }
        var copy = PacketBuffers.Pool.Rent(datagram.Length);
        datagram.Span.CopyTo(copy);
        shard.Actor.Tell(new DumpPacket(source, copy, datagram.Length, DateTimeOffset.UtcNow));
        return null;
    }

    public void OnIdle() { }
}
