using Akka.Actor;
using Netoops.Collector.Ingest;

namespace Netoops.Collector.Dumps;

/// <summary>One shard: its actor and the inbox count the receive thread and the shard share.</summary>
public sealed record ShardRef(IActorRef Actor, ShardInbox Inbox);

/// <summary>
/// The dump shards, picked by a hash of the sender's address on the receive thread: all of a
/// sender's dumps live in one shard, so its budget is counted in one place without locks.
/// </summary>
public sealed class DumpShards(IReadOnlyList<ShardRef> shards)
{
    /// <summary>
    /// Packets all shards together may have waiting (each in a 2 KiB buffer, 128 MiB in all) before
    /// more are shed, split evenly: one shard on a one-core collector gets all of it, enough to ride
    /// out a few hundred milliseconds of pauses at 200,000 packets/s.
    /// </summary>
    public const int TotalInboxCapacity = 65536;

    public IReadOnlyList<ShardRef> All { get; } = shards.Count > 0 ? shards : throw new ArgumentException("at least one shard", nameof(shards));

    public ShardRef For(in SourceAddress source) => All[Index(source.Address, All.Count)];

    /// <summary>Starts <paramref name="count"/> shards, each with its inbox.</summary>
    /// <param name="inboxCapacity">Per shard; by default an even share of <see cref="TotalInboxCapacity"/>.</param>
    public static DumpShards Start(int count, Func<ShardInbox, int, IActorRef> start, int? inboxCapacity = null) =>
        new([.. Enumerable.Range(0, count).Select(i =>
        {
            var inbox = new ShardInbox(inboxCapacity ?? TotalInboxCapacity / Math.Max(count, 1));
            return new ShardRef(start(inbox, i), inbox);
        })]);

    /// <summary>Folds the 128-bit address (IPv4 sits in its low 32 bits) and spreads it with a multiplicative hash.</summary>
    public static int Index(UInt128 address, int count)
    {
        var folded = (ulong)address ^ (ulong)(address >> 64);
        return (int)((folded * 0x9E3779B97F4A7C15UL >> 32) % (ulong)count);
    }
}
