namespace Netoops.Collector.Dumps;

/// <summary>
/// The buffers packets travel in from the receive thread to their shard, where a pending dump
/// keeps them as its chunks until it is finished. Rented on one thread and returned on another,
/// they would mostly miss <c>ArrayPool.Shared</c>'s per-thread caches; this pool is one stack
/// behind a lock (last returned, first rented: the warmest buffer). Buffers are pinned: a flood
/// keeps tens of thousands of them alive, and as ordinary arrays every young-generation collection
/// copied the new ones, pauses that overflowed the socket buffer. Pinned, they are allocated on a
/// heap that is never compacted and are only ever marked. They are not zeroed either: a packet
/// overwrites the bytes it is read from.
/// </summary>
public static class PacketBuffers
{
    /// <summary>Rounded up from the x86_64 packet (1,412 bytes); a larger datagram gets a plain array.</summary>
    public const int Size = 2048;

    /// <summary>Buffers kept for reuse (32 MiB at most); beyond that a returned buffer is left to the collector.</summary>
    public const int Kept = 16384;

    private static readonly Stack<byte[]> Free = new();

    public static byte[] Rent(int length)
    {
        if (length > Size) return new byte[length];
        lock (Free)
            if (Free.TryPop(out var buffer)) return buffer;
        return GC.AllocateUninitializedArray<byte>(Size, pinned: true);
    }

    public static void Return(byte[] buffer)
    {
        if (buffer.Length != Size) return;
        lock (Free)
            if (Free.Count < Kept) Free.Push(buffer);
    }
}
