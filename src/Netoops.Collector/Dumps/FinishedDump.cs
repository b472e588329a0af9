using Netoops.Protocol.Packets;

namespace Netoops.Collector.Dumps;

/// <summary>
/// A dump that left its shard, complete or partial: its header, its text (oldest byte first, the
/// chunks that never arrived left out) and the numbers of those missing chunks.
/// </summary>
public sealed record FinishedDump(
    DumpKey Key,
    DumpHeader Header,
    uint PacketCount,
    byte[] Text,
    IReadOnlyList<int> Missing,
    DateTimeOffset FirstPacket,
    bool Authenticated = false)
{
    public bool IsComplete => Missing.Count == 0;
}
