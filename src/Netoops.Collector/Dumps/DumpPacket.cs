using Netoops.Collector.Ingest;

namespace Netoops.Collector.Dumps;

/// <summary>
/// One validated netoops packet in a pooled buffer (<see cref="Buffer"/>[..<see cref="Length"/>]),
/// on its way from the receive thread to a <see cref="DumpShard"/>; the shard returns the buffer
/// to its <see cref="Pool"/> once it has read the packet, or, when a dump keeps the packet as
/// a chunk, once that dump is finished. A struct: it travels inside a
/// <see cref="DumpPackets"/> list, so the receive thread allocates nothing per packet for it.
/// </summary>
/// <param name="Authenticated">Its tag verified with the fleet key (<see cref="Ingest.SenderAuth"/>).</param>
public readonly record struct DumpPacket(SourceAddress Source, byte[] Buffer, int Length, DateTimeOffset ReceivedAt, PacketPool Pool, bool Authenticated = false)
{
    public ReadOnlySpan<byte> Bytes => Buffer.AsSpan(0, Length);

    public void Release() => Pool.Return(Buffer);
}

/// <summary>
/// The packets one receive batch (one recvmmsg call) brought for one shard, in arrival order: one
/// actor message per batch rather than per packet, since at 200,000 packets/s scheduling the
/// shard's mailbox for every packet cost more than reassembling it.
/// </summary>
public sealed record DumpPackets(List<DumpPacket> Packets);
