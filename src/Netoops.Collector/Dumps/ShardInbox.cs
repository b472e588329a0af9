namespace Netoops.Collector.Dumps;

/// <summary>
/// Packets told to one shard and not yet taken by it: the receive thread enters, the shard leaves.
/// An actor's mailbox has no bound of its own; when a shard falls this far behind, the receive
/// thread sheds packets (counted) instead of queueing them in memory without limit — the same
/// choice the kernel makes when the socket buffer is full, but visible as a counter of its own.
/// </summary>
public sealed class ShardInbox(int capacity)
{
    private long _waiting;

    public long Waiting => Interlocked.Read(ref _waiting);

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _waiting) <= capacity) return true;
        Interlocked.Decrement(ref _waiting);
        return false;
    }

    public void Leave() => Interlocked.Decrement(ref _waiting);
}
