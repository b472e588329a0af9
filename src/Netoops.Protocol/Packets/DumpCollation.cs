namespace Netoops.Protocol.Packets;

/// <summary>What identifies one dump among packets from one sender.</summary>
public readonly record struct DumpKey(uint BootId, ushort DumpId, DumpType Type);

/// <summary>A datagram that was not a usable packet, by its position in the input.</summary>
public readonly record struct RejectedDatagram(int Index, PacketError Error);

/// <summary>Every dump found in a pile of datagrams from one sender, plus what was refused.</summary>
public sealed record Collation(IReadOnlyList<AssembledDump> Dumps, IReadOnlyList<RejectedDatagram> Rejected);

/// <summary>
/// Sorts datagrams of one sender (a capture, a directory of packets) into dumps and assembles each.
/// Dumps come out in the order their first packet was seen.
/// </summary>
public static class DumpCollation
{
    public static Collation Collate(IEnumerable<ReadOnlyMemory<byte>> datagrams, PacketLimits limits)
    {
        var assemblers = new Dictionary<DumpKey, DumpAssembler>();
        var order = new List<DumpKey>();
        var rejected = new List<RejectedDatagram>();
        var index = 0;
        foreach (var datagram in datagrams)
        {
            var error = NetoopsPacket.TryDecode(datagram.Span, limits, out var packet);
            if (error != PacketError.None)
            {
                rejected.Add(new RejectedDatagram(index++, error));
                continue;
            }
            var key = new DumpKey(packet.BootId, packet.DumpId, packet.Type);
            if (!assemblers.TryGetValue(key, out var assembler))
            {
                assemblers[key] = assembler = new DumpAssembler();
                order.Add(key);
            }
            assembler.Add(packet);
            index++;
        }
        return new Collation(order.Select(key => assemblers[key].Result()).ToList(), rejected);
    }

    public static Collation Collate(IEnumerable<ReadOnlyMemory<byte>> datagrams) => Collate(datagrams, PacketLimits.Default);
}
