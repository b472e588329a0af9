using Akka.Actor;
using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;
using Netoops.Protocol.Packets;

namespace Netoops.Collector.Dumps;

/// <summary>
/// The netoops receive loop's sink: validates each datagram in place (refusals are counted by the
/// loop under the decoder's error code) and gathers a valid packet, copied into a pooled buffer,
/// for the shard that owns its sender; at the end of the receive batch each shard is told its
/// packets in one message. The shard returns the buffers to the pool once it has read them. A
/// shard too far behind gets no more packets until it catches up: they are shed and counted.
/// </summary>
public sealed class NetoopsSink(DumpShards shards, PacketLimits limits, CollectorMetrics metrics, SenderAuth? auth = null) : IDatagramSink
{
    /// <summary>The buffers this sink's packets travel in; each packet carries it back to whoever releases it.</summary>
    private readonly PacketPool _pool = new(metrics.PacketBuffersLeased);

    private readonly List<DumpPacket>?[] _gathered = new List<DumpPacket>?[shards.All.Count];
    // Read once per batch: its datagrams arrived together, and the clock is not free.
    private DateTimeOffset? _batchTime;

    public string? OnDatagram(ReadOnlyMemory<byte> datagram, in SourceAddress source)
    {
        var error = NetoopsPacket.TryDecode(datagram.Span, limits, out _);
        if (error != PacketError.None) return error.Code();
        var authenticated = false;
        if (auth is not null && auth.Judge(datagram.Span, source, out authenticated) is { } refused) return refused;
        var index = DumpShards.Index(source.Address, shards.All.Count);
        if (!shards.All[index].Inbox.TryEnter())
        {
            metrics.DumpPacketsShed.Increment();
            return null;
        }
        var copy = _pool.Rent(datagram.Length);
        datagram.Span.CopyTo(copy);
        (_gathered[index] ??= []).Add(new DumpPacket(source, copy, datagram.Length, _batchTime ??= DateTimeOffset.UtcNow, _pool, authenticated));
        return null;
    }

    public void OnBatchEnd()
    {
        for (var i = 0; i < _gathered.Length; i++)
        {
            if (_gathered[i] is not { } packets) continue;
            shards.All[i].Actor.Tell(new DumpPackets(packets));
            _gathered[i] = null;
        }
        _batchTime = null;
    }

    public void OnIdle() { }
}
