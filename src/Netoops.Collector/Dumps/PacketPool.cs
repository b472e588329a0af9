using Netoops.Collector.Metrics;

namespace Netoops.Collector.Dumps;

/// <summary>
/// The buffers packets travel in from the receive thread to their shard, where a pending dump
/// keeps them as its chunks until it is finished: an owned instance (the collector's sink makes
/// one; each packet carries its pool back), which counts what is leased and catches a buffer
/// returned twice, as Kestrel's <c>PinnedBlockMemoryPool</c> does. Rented on one thread and
/// returned on another, they would mostly miss <c>ArrayPool.Shared</c>'s per-thread caches; this
/// pool is one stack behind a lock (last returned, first rented: the warmest buffer). Buffers are
/// pinned: a flood keeps tens of thousands of them alive, and as ordinary arrays every
/// young-generation collection copied the new ones, pauses that overflowed the socket buffer.
/// Pinned, they are allocated on a heap that is never compacted and are only ever marked. They are
/// not zeroed either: a packet overwrites the bytes it is read from.
/// </summary>
public sealed class PacketPool(Gauge? leased = null)
{
    /// <summary>Rounded up from the x86_64 packet (1,412 bytes); a larger datagram gets a plain array.</summary>
    public const int BufferSize = 2048;

    /// <summary>Buffers kept for reuse (32 MiB at most); beyond that a returned buffer is left to the collector.</summary>
    public const int Kept = 16384;

    private readonly Stack<byte[]> _free = new();
    /// <summary>The buffers in <see cref="_free"/>: a second return of one is caught, not pushed twice (two owners of one buffer).</summary>
    private readonly HashSet<byte[]> _inPool = new(ReferenceEqualityComparer.Instance);
    private long _leased;
    private long _doubleReturns;

    /// <summary>Pool-sized buffers rented and not yet returned.</summary>
    public long Leased => Interlocked.Read(ref _leased);

    /// <summary>Returns of a buffer already in the pool: a bug (two owners), counted and ignored.</summary>
    public long DoubleReturns => Interlocked.Read(ref _doubleReturns);

    public byte[] Rent(int length)
    {
        if (length > BufferSize) return new byte[length];
        byte[]? buffer;
        lock (_free)
            if (_free.TryPop(out buffer)) _inPool.Remove(buffer);
        Interlocked.Increment(ref _leased);
        leased?.Add(1);
        return buffer ?? GC.AllocateUninitializedArray<byte>(BufferSize, pinned: true);
    }

    public void Return(byte[] buffer)
    {
        if (buffer.Length != BufferSize) return;
        lock (_free)
        {
            if (!_inPool.Add(buffer))
            {
                _doubleReturns++;
                return;
            }
            if (_free.Count < Kept) _free.Push(buffer);
            else _inPool.Remove(buffer);
        }
        Interlocked.Decrement(ref _leased);
        leased?.Add(-1);
    }
}
