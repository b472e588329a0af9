using Netoops.Protocol.Packets;

namespace Netoops.Collector.Dumps;

/// <summary>
/// One dump being assembled inside a <see cref="DumpShard"/> (a plain object: the shard is its
/// only owner). It holds only the chunks that arrived, so its memory follows what was received,
/// not what packet_count promises: a hostile or lossy sender cannot make it reserve 8 MiB with one
/// packet. <see cref="Bytes"/> is that memory as the shard's budgets count it. A chunk stays in the
/// pooled buffer its packet came in (no copy, no new array per packet: at 200,000 packets/s the
/// copies were most of what the shards allocated, and collecting them paused the receive thread);
/// <see cref="Release"/> gives the buffers back once the dump is finished.
/// </summary>
public sealed class PendingDump
{
    /// <summary>The dump's own objects: header, chunk table, list nodes, its shard's entries (measured: `pending-memory` benchmark).</summary>
    public const int OverheadBytes = 1152;

    /// <summary>A chunk costs its packet buffer plus the buffer's array header and its table entry.</summary>
    public const int ChunkOverheadBytes = 64;

    private readonly Dictionary<uint, (byte[] Buffer, int Offset, int Length)> _chunks = [];
    private readonly PacketPool _pool;

    /// <param name="pool">Where the chunks' buffers go back (the pool their packets came in).</param>
    public PendingDump(DumpKey key, NetoopsPacket first, DateTimeOffset at, PacketPool pool, bool authenticated = false)
    {
        _pool = pool;
        Key = key;
        Authenticated = authenticated;
        Layout = LayoutOf(first);
        Header = first.ToHeader();
        PacketCount = first.PacketCount;
        FirstPacket = LastPacket = at;
        Bytes = OverheadBytes;
        Activity = new LinkedListNode<PendingDump>(this);
        InSource = new LinkedListNode<PendingDump>(this);
    }

    public DumpKey Key { get; }

    /// <summary>Signed with the fleet key: every packet of the candidate is, since the tag's presence is part of its layout.</summary>
    public bool Authenticated { get; }

    /// <summary>
    /// What every packet of this candidate agrees on: packet_count, the offsets and the header
    /// (<see cref="LayoutOf"/>). A packet with the same key but another layout is not refused: it
    /// belongs to a competing candidate (<see cref="Rival"/>), so one spoofed packet cannot shut the
    /// real dump out.
    /// </summary>
    public int Layout { get; }

    /// <summary>The next candidate for the same key, or null: a short chain the shard owns.</summary>
    public PendingDump? Rival { get; set; }
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

    /// <summary>
    /// A hash of everything a packet shares with the rest of its dump (the header bytes but its
    /// packet_no and a signature's per-packet tag). HashCode is seeded per process, so a sender cannot aim a collision at it.
    /// </summary>
    public static int LayoutOf(NetoopsPacket packet)
    {
        var header = packet.HeaderBytes;
        var hash = new HashCode();
        hash.AddBytes(header[..PacketLayout.PacketNoOffset]);
        // A signed packet's tag differs per packet; its magic stays, so signed and unsigned never share a candidate.
        hash.AddBytes(header[(PacketLayout.PacketNoOffset + sizeof(uint))..PacketTag.TagOffset]);
        hash.AddBytes(header[(PacketTag.TagOffset + PacketTag.TagBytes)..]);
        return hash.ToHashCode();
    }

    /// <summary>Chunks received so far.</summary>
    public int Chunks => _chunks.Count;

    /// <summary>What keeping a chunk in a buffer of <paramref name="bufferLength"/> bytes costs.</summary>
    public static long CostOf(int bufferLength) => bufferLength + ChunkOverheadBytes;

    /// <summary>Bytes of text received so far: the length of <see cref="Finish"/>'s text.</summary>
    public int TextLength { get; private set; }

    /// <summary>
    /// Keeps the first copy of each packet number; a repeat is a duplicate (same text) or a conflict
    /// (never merged). <paramref name="packet"/> is decoded from <paramref name="buffer"/>; when the
    /// outcome is <see cref="AddOutcome.Accepted"/> the dump owns the buffer from then on, otherwise
    /// the caller still does.
    /// </summary>
    public AddOutcome Add(NetoopsPacket packet, byte[] buffer)
    {
        if (packet.PacketCount != PacketCount) return AddOutcome.CountMismatch;
        var data = packet.Data;
        if (_chunks.TryGetValue(packet.PacketNo, out var kept))
            return data.SequenceEqual(kept.Buffer.AsSpan(kept.Offset, kept.Length)) ? AddOutcome.Duplicate : AddOutcome.ConflictingDuplicate;
        _chunks.Add(packet.PacketNo, (buffer, packet.DataOffset, data.Length));
        Bytes += CostOf(buffer.Length);
        TextLength += data.Length;
        return AddOutcome.Accepted;
    }

    /// <summary>Returns the chunks' buffers to the pool; the dump is empty afterwards.</summary>
    public void Release()
    {
        foreach (var chunk in _chunks.Values) _pool.Return(chunk.Buffer);
        _chunks.Clear();
    }

    /// <summary>The dump as it stands. Text order is packet_count − 1 down to 0 (packet 0 carries the newest text).</summary>
    public FinishedDump Finish()
    {
        // Every byte is written (the chunks fill it exactly), so it need not be zeroed first.
        var text = GC.AllocateUninitializedArray<byte>(TextLength);
        CopyTextTo(text);
        return new FinishedDump(Key, Header, PacketCount, text, MissingPackets(), FirstPacket, Authenticated);
    }

    /// <summary>The dump without its text: a storm's occurrence, whose text is not kept.</summary>
    public FinishedDump FinishWithoutText() => new(Key, Header, PacketCount, [], MissingPackets(), FirstPacket, Authenticated);

    /// <summary>Writes the text (<see cref="TextLength"/> bytes) into <paramref name="destination"/>, e.g. a pooled buffer to fingerprint.</summary>
    public void CopyTextTo(Span<byte> destination)
    {
        var at = 0;
        for (var no = (long)PacketCount - 1; no >= 0; no--)
        {
            if (!_chunks.TryGetValue((uint)no, out var chunk)) continue;
            chunk.Buffer.AsSpan(chunk.Offset, chunk.Length).CopyTo(destination[at..]);
            at += chunk.Length;
        }
    }

    private List<int> MissingPackets()
    {
        var absent = (int)PacketCount - _chunks.Count;
        var missing = new List<int>(absent);
        for (var no = 0; no < PacketCount && missing.Count < absent; no++)
            if (!_chunks.ContainsKey((uint)no)) missing.Add(no);
        return missing;
    }
}
