using System.Buffers;

namespace Netoops.Collector.Dumps;

/// <summary>
/// The buffers packets travel in from the receive thread to their shard. Rented on one thread and
/// returned on another, they would mostly miss <see cref="ArrayPool{T}.Shared"/>'s thread-local
/// caches (a burst of a few thousand in flight overflows its small per-core stacks, and each miss
/// allocates); a pool of their own keeps up to <see cref="Kept"/> of them (16 MiB at most).
/// </summary>
public static class PacketBuffers
{
    /// <summary>Rounded up from the x86_64 packet (1,412 bytes); a larger datagram gets a plain array.</summary>
    public const int Size = 2048;

    public const int Kept = 8192;

    public static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(Size, Kept);
}
