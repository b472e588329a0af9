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
    /// <summary>Packets a shard may have waiting (each in a 2 KiB buffer) before more are shed.</summary>
    public const int InboxCapacity = 8192;

    public IReadOnlyList<ShardRef> All { get; } = shards.Count > 0 ? shards : throw new ArgumentException("at least one shard", nameof(shards));

    public ShardRef For(in SourceAddress source) => All[Index(source.Address, All.Count)];

    /// <summary>Starts <paramref name="count"/> shards, each with its inbox.</summary>
    public static DumpShards Start(int count, Func<ShardInbox, int, IActorRef> start, int inboxCapacity = InboxCapacity) =>
        new([.. Enumerable.Range(0, count).Select(i =>
        {
            var inbox = new ShardInbox(inboxCapacity);
            return new ShardRef(start(inbox, i), inbox);
        })]);

    /// <summary>Folds the 128-bit address (IPv4 sits in its low 32 bits) and spreads it with a multiplicative hash.</summary>
    public static int Index(UInt128 address, int count)
    {
        var folded = (ulong)address ^ (ulong)(address >> 64);
        return (int)((folded * 0x9E3779B97F4A7C15UL >> 32) % (ulong)count);
    }
}
