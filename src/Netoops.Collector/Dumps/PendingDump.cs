using Netoops.Protocol.Packets;

namespace Netoops.Collector.Dumps;

/// <summary>
/// One dump being assembled inside a <see cref="DumpShard"/> (a plain object: the shard is its
/// only owner). It holds only the chunks that arrived, so its memory follows what was received,
/// not what packet_count promises: a hostile or lossy sender cannot make it reserve 8 MiB with one
/// packet. <see cref="Bytes"/> is that memory as the shard's budgets count it.
/// </summary>
public sealed class PendingDump
{
    /// <summary>The dump's own objects: header, chunk table, list nodes, its shard's entries (measured: `pending-memory` benchmark).</summary>
    public const int OverheadBytes = 1152;

    /// <summary>A chunk costs its text plus the array header and its table entry.</summary>
    public const int ChunkOverheadBytes = 64;

    private readonly Dictionary<uint, byte[]> _chunks = [];

    public PendingDump(DumpKey key, NetoopsPacket first, DateTimeOffset at)
    {
        Key = key;
        Header = first.ToHeader();
        PacketCount = first.PacketCount;
        FirstPacket = LastPacket = at;
        Bytes = OverheadBytes;
        Activity = new LinkedListNode<PendingDump>(this);
        InSource = new LinkedListNode<PendingDump>(this);
    }

    public DumpKey Key { get; }
    public DumpHeader Header { get; }
    public uint PacketCount { get; }
    public DateTimeOffset FirstPacket { get; }
    public DateTimeOffset LastPacket { get; set; }
    public long Bytes { get; private set; }
    public bool IsComplete => _chunks.Count == PacketCount;

    /// <summary>This dump's place in its shard's least-recently-active order.</summary>
    public LinkedListNode<PendingDump> Activity { get; }

    /// <summary>This dump's place in its sender's least-recently-active order.</summary>
    public LinkedListNode<PendingDump> InSource { get; }

    public static long CostOf(int chunkLength) => chunkLength + ChunkOverheadBytes;

    /// <summary>Keeps the first copy of each packet number; a repeat is a duplicate (same text) or a conflict (never merged).</summary>
    public AddOutcome Add(NetoopsPacket packet)
    {
        if (packet.PacketCount != PacketCount) return AddOutcome.CountMismatch;
        var data = packet.Data;
        if (_chunks.TryGetValue(packet.PacketNo, out var kept))
            return data.SequenceEqual(kept) ? AddOutcome.Duplicate : AddOutcome.ConflictingDuplicate;
        _chunks.Add(packet.PacketNo, data.ToArray());
        Bytes += CostOf(data.Length);
        return AddOutcome.Accepted;
    }

    /// <summary>The dump as it stands. Text order is packet_count − 1 down to 0 (packet 0 carries the newest text).</summary>
    public FinishedDump Finish()
    {
        var length = 0;
        foreach (var chunk in _chunks.Values) length += chunk.Length;
        var text = new byte[length];
        var at = 0;
        var missing = new List<int>();
        for (var no = (long)PacketCount - 1; no >= 0; no--)
        {
            if (_chunks.TryGetValue((uint)no, out var chunk))
            {
                chunk.CopyTo(text, at);
                at += chunk.Length;
            }
            else missing.Add((int)no);
        }
        missing.Reverse();
        return new FinishedDump(Key, Header, PacketCount, text, missing, FirstPacket);
    }
}
