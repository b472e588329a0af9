using System.Buffers;
using System.Buffers.Binary;
using Akka.Actor;
using Netoops.Collector.Analysis;
using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;
using Netoops.Protocol.Packets;

namespace Netoops.Collector.Dumps;

/// <summary>
/// One validated netoops packet in a pooled buffer (<see cref="Buffer"/>[..<see cref="Length"/>]);
/// whoever consumes it returns the buffer to <see cref="ArrayPool{T}.Shared"/>.
/// </summary>
public sealed record DumpPacket(SourceAddress Source, byte[] Buffer, int Length, DateTimeOffset ReceivedAt)
{
    public ReadOnlySpan<byte> Bytes => Buffer.AsSpan(0, Length);

    public DumpKey Key => new(Source,
        BinaryPrimitives.ReadUInt32LittleEndian(Bytes[PacketLayout.BootIdOffset..]),
        BinaryPrimitives.ReadUInt16LittleEndian(Bytes[PacketLayout.DumpIdOffset..]),
        BinaryPrimitives.ReadUInt16LittleEndian(Bytes[PacketLayout.TypeOffset..]));

    public uint PacketCount => BinaryPrimitives.ReadUInt32LittleEndian(Bytes[PacketLayout.PacketCountOffset..]);

    public void Release() => ArrayPool<byte>.Shared.Return(Buffer);
}

/// <summary>Sent by an entity when its dump is stored (or handed to the store); it stops right after.</summary>
public sealed record DumpFinished(DumpKey Key, bool Complete);

/// <summary>
/// Parent of the dump entities (/user/netoops-dumps): routes each packet to the child for its key,
/// creating it on the first packet. It bounds memory by reserving, per dump, its packet_count in
/// KiB (the most it can hold) against a per-sender and an overall budget; when a new dump does not
/// fit, the oldest dumps (of that sender first) are finished early as partial and counted as
/// evicted. Completed keys are remembered for a while so that the retransmit rounds that follow a
/// complete dump are recognised as duplicates instead of starting a new, partial dump.
/// </summary>
public sealed class DumpRegistry : ReceiveActor
{
    public sealed record Settings(TimeSpan Timeout, long MaxBytesPerSource, long MaxBytes);

    private sealed record Entry(IActorRef Entity, long Reserved, long Order);

    private readonly Dictionary<DumpKey, Entry> _entries = [];
    private readonly Dictionary<UInt128, long> _reservedBySource = [];
    private readonly SortedDictionary<long, DumpKey> _byAge = [];
    private readonly Dictionary<UInt128, SortedSet<long>> _ageBySource = [];
    private readonly Dictionary<DumpKey, DateTimeOffset> _recentlyFinished = [];
    private readonly Queue<(DumpKey Key, DateTimeOffset At)> _finishedOrder = new();
    private readonly Settings _settings;
    private readonly CollectorMetrics _metrics;
    private readonly Func<DumpKey, Props> _entityProps;
    private long _reserved, _order;

    public DumpRegistry(Settings settings, CollectorMetrics metrics, Func<DumpKey, Props> entityProps)
    {
        _settings = settings;
        _metrics = metrics;
        _entityProps = entityProps;
        Receive<DumpPacket>(Route);
        Receive<DumpFinished>(m => Forget(m.Key, Sender, finished: true));
    }

    public static Props Props(Settings settings, CollectorMetrics metrics, IActorRef store, ICrashAnalyzer analyzer) =>
        Akka.Actor.Props.Create(() => new DumpRegistry(settings, metrics,
            key => DumpEntity.Props(key, settings.Timeout, metrics, store, analyzer)));

    private void Route(DumpPacket packet)
    {
        var key = packet.Key;
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.Entity.Tell(packet);
            return;
        }
        if (WasJustFinished(key, packet.ReceivedAt))
        {
            _metrics.DumpPacketsDuplicate.Increment();
            packet.Release();
            return;
        }
        var reserve = (long)packet.PacketCount * PacketLayout.DataSize;
        MakeRoom(key.Source.Address, reserve);
        var order = ++_order;
        var entity = Context.ActorOf(_entityProps(key), $"dump-{order}");
        _entries[key] = new Entry(entity, reserve, order);
        _byAge[order] = key;
        if (!_ageBySource.TryGetValue(key.Source.Address, out var ages)) _ageBySource[key.Source.Address] = ages = [];
        ages.Add(order);
        _reservedBySource[key.Source.Address] = _reservedBySource.GetValueOrDefault(key.Source.Address) + reserve;
        _reserved += reserve;
        Publish();
        entity.Tell(packet);
    }

    /// <summary>Evicts the oldest dumps until <paramref name="bytes"/> more fit in both budgets.</summary>
    private void MakeRoom(UInt128 source, long bytes)
    {
        while (_reservedBySource.GetValueOrDefault(source) + bytes > _settings.MaxBytesPerSource
               && OldestOf(source) is { } own)
            Evict(own);
        while (_reserved + bytes > _settings.MaxBytes && _byAge.Count > 0)
            Evict(_byAge.First().Value);
    }

    private DumpKey? OldestOf(UInt128 source) =>
        _ageBySource.TryGetValue(source, out var ages) && ages.Count > 0 ? _byAge[ages.Min] : null;

    private void Evict(DumpKey key)
    {
        var entity = _entries[key].Entity;
        entity.Tell(FinishNow.Instance);
        _metrics.DumpsEvicted.Increment();
        Forget(key, entity, finished: false);
    }

    private void Forget(DumpKey key, IActorRef entity, bool finished)
    {
        // An evicted entity reports DumpFinished later; by then its key may belong to a new entity.
        if (!_entries.TryGetValue(key, out var entry) || !entry.Entity.Equals(entity)) return;
        _entries.Remove(key);
        _byAge.Remove(entry.Order);
        var ages = _ageBySource[key.Source.Address];
        ages.Remove(entry.Order);
        if (ages.Count == 0) _ageBySource.Remove(key.Source.Address);
        var left = _reservedBySource[key.Source.Address] - entry.Reserved;
        if (left == 0) _reservedBySource.Remove(key.Source.Address);
        else _reservedBySource[key.Source.Address] = left;
        _reserved -= entry.Reserved;
        if (finished) Remember(key);
        Publish();
    }

    private void Remember(DumpKey key)
    {
        var now = DateTimeOffset.UtcNow;
        _recentlyFinished[key] = now;
        _finishedOrder.Enqueue((key, now));
        Expire(now);
    }

    private bool WasJustFinished(DumpKey key, DateTimeOffset now)
    {
        Expire(now);
        return _recentlyFinished.ContainsKey(key);
    }

    /// <summary>Retransmit rounds follow within seconds; twice the timeout is ample, and keeps the set small.</summary>
    private void Expire(DateTimeOffset now)
    {
        var horizon = now - 2 * _settings.Timeout;
        while (_finishedOrder.TryPeek(out var oldest) && (oldest.At < horizon || _finishedOrder.Count > 1_000_000))
        {
            _finishedOrder.Dequeue();
            if (_recentlyFinished.TryGetValue(oldest.Key, out var at) && at == oldest.At) _recentlyFinished.Remove(oldest.Key);
        }
    }

    private void Publish()
    {
        _metrics.DumpsPending.Set(_entries.Count);
        _metrics.DumpsPendingBytes.Set(_reserved);
    }
}
