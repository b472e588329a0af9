namespace Netoops.Protocol.Packets;

/// <summary>What <see cref="DumpAssembler.Add"/> did with a packet.</summary>
public enum AddOutcome
{
    /// <summary>First copy of this packet number: kept.</summary>
    Accepted,

    /// <summary>Same packet number, same data: a retransmission, ignored.</summary>
    Duplicate,

    /// <summary>Same packet number, different data: counted, the first copy kept, never merged.</summary>
    ConflictingDuplicate,

    /// <summary>packet_count differs from the dump's first packet: not part of this dump.</summary>
    CountMismatch,
}

/// <summary>
/// Collects the packets of one dump (one key: source, boot_id, dump_id, type) in any order, with
/// any duplicates and rounds, and gives the log text back in chronological order.
/// </summary>
public sealed class DumpAssembler
{
    private byte[]?[] _chunks = [];
    private int _received;

    /// <summary>Header fields of the first packet accepted, or null before any.</summary>
    public DumpHeader? Header { get; private set; }

    public uint PacketCount { get; private set; }
    public int ReceivedCount => _received;
    public int DuplicateCount { get; private set; }
    public int ConflictingDuplicateCount { get; private set; }
    public int CountMismatchCount { get; private set; }
    public bool IsComplete => Header is not null && _received == PacketCount;

    public AddOutcome Add(NetoopsPacket packet)
    {
        if (Header is null)
        {
            Header = packet.ToHeader();
            PacketCount = packet.PacketCount;
            _chunks = new byte[]?[packet.PacketCount];
        }
        else if (packet.PacketCount != PacketCount)
        {
            CountMismatchCount++;
            return AddOutcome.CountMismatch;
        }

        var data = packet.Data;
        ref var slot = ref _chunks[packet.PacketNo];
        if (slot is null)
        {
            slot = data.ToArray();
            _received++;
            return AddOutcome.Accepted;
        }
        if (data.SequenceEqual(slot))
        {
            DuplicateCount++;
            return AddOutcome.Duplicate;
        }
        ConflictingDuplicateCount++;
        return AddOutcome.ConflictingDuplicate;
    }

    /// <summary>Packet numbers not received yet, ascending.</summary>
    public IReadOnlyList<uint> MissingPacketNumbers()
    {
        var missing = new List<uint>();
        for (var i = 0; i < _chunks.Length; i++)
            if (_chunks[i] is null)
                missing.Add((uint)i);
        return missing;
    }

    /// <summary>
    /// The text received so far, oldest first (packet_count − 1 down to 0). Missing chunks are left
    /// out, not padded: <see cref="AssembledDump.MissingPacketNumbers"/> says where the gaps are.
    /// </summary>
    public byte[] Text()
    {
        var length = 0;
        foreach (var chunk in _chunks)
            length += chunk?.Length ?? 0;
        var text = new byte[length];
        var at = 0;
        for (var i = _chunks.Length - 1; i >= 0; i--)
        {
            if (_chunks[i] is not { } chunk)
                continue;
            chunk.CopyTo(text, at);
            at += chunk.Length;
        }
        return text;
    }

    /// <summary>The dump as it stands: complete, or partial with its missing packet numbers.</summary>
    public AssembledDump Result()
    {
        if (Header is null)
            throw new InvalidOperationException("no packet was added");
        return new AssembledDump(Header, PacketCount, Text(), MissingPacketNumbers(), DuplicateCount, ConflictingDuplicateCount);
    }
}

/// <summary>A reassembled dump. <see cref="Text"/> is the log, oldest byte first.</summary>
public sealed record AssembledDump(
    DumpHeader Header,
    uint PacketCount,
    byte[] Text,
    IReadOnlyList<uint> MissingPacketNumbers,
    int Duplicates,
    int ConflictingDuplicates)
{
    public bool IsComplete => MissingPacketNumbers.Count == 0;
}
