using Akka.Actor;
using Netoops.Collector.Ingest;

namespace Netoops.Collector.Dumps;

/// <summary>
/// The dump shards, picked by a hash of the sender's address on the receive thread: all of a
/// sender's dumps live in one shard, so its budget is counted in one place without locks.
/// </summary>
public sealed class DumpShards(IReadOnlyList<IActorRef> shards)
{
    public IReadOnlyList<IActorRef> All { get; } = shards.Count > 0 ? shards : throw new ArgumentException("at least one shard", nameof(shards));

    public IActorRef For(in SourceAddress source) => All[Index(source.Address, All.Count)];

    /// <summary>Folds the 128-bit address (IPv4 sits in its low 32 bits) and spreads it with a multiplicative hash.</summary>
    public static int Index(UInt128 address, int count)
    {
        var folded = (ulong)address ^ (ulong)(address >> 64);
        return (int)((folded * 0x9E3779B97F4A7C15UL >> 32) % (ulong)count);
    }
}
