using Akka.Actor;
using Netoops.Collector.Ingest;
using Netoops.Protocol.Packets;

namespace Netoops.Collector.Dumps;

/// <summary>
/// The netoops receive loop's sink: validates each datagram in place (refusals are counted by the
/// loop under the decoder's error code) and hands a valid packet, copied into a pooled buffer, to
/// the shard that owns its sender. The shard returns the buffer to the pool once it has read it.
/// </summary>
public sealed class NetoopsSink(DumpShards shards, PacketLimits limits) : IDatagramSink
{
    public string? OnDatagram(ReadOnlyMemory<byte> datagram, in SourceAddress source)
    {
        var error = NetoopsPacket.TryDecode(datagram.Span, limits, out _);
        if (error != PacketError.None) return error.Code();
        var copy = PacketBuffers.Pool.Rent(datagram.Length);
        datagram.Span.CopyTo(copy);
        shards.For(source).Tell(new DumpPacket(source, copy, datagram.Length, DateTimeOffset.UtcNow));
        return null;
    }

    public void OnIdle() { }
}
