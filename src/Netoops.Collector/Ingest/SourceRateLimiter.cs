using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Netoops.Collector.Ingest;

/// <summary>
/// A token bucket per sender address (all its ports together): <c>rate</c> datagrams per second
/// with bursts up to <c>burst</c>. Owned by one receive loop, so it takes no locks. The table is
/// bounded: past <see cref="MaxSources"/> senders it starts over, which at worst grants each
/// sender one more burst.
/// </summary>
public sealed class SourceRateLimiter
{
    public const int MaxSources = 1 << 20;

    private struct Bucket
    {
        public double Tokens;
        public long LastTicks;
    }

    private readonly SourceTable<Bucket> _buckets = new();
    private readonly double _perTick;
    private readonly double _burst;
    private readonly Func<long> _now;

    /// <param name="ratePerSecond">0 turns limiting off.</param>
    public SourceRateLimiter(double ratePerSecond, double burst, Func<long>? nowTicks = null)
    {
        _perTick = ratePerSecond / Stopwatch.Frequency;
        _burst = Math.Max(burst, 1);
        _now = nowTicks ?? Stopwatch.GetTimestamp;
        Enabled = ratePerSecond > 0;
    }

    public bool Enabled { get; }

    public int TrackedSources => _buckets.Count;

    /// <summary>The limiter's clock, for callers that read it once for a batch of datagrams.</summary>
    public long Now() => Enabled ? _now() : 0;

    /// <summary>Takes one token for <paramref name="source"/>; false when its bucket is empty.</summary>
    public bool TryTake(in SourceAddress source) => TryTake(source, Now());

    /// <summary>Takes one token for <paramref name="source"/> at time <paramref name="now"/> (from <see cref="Now"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryTake(in SourceAddress source, long now)
    {
        if (!Enabled) return true;
        if (_buckets.Count >= MaxSources) _buckets.Clear();
        // Keyed by the address alone: all of a sender's ports share its bucket.
        ref var bucket = ref _buckets.GetValueRefOrAddDefault(new SourceAddress(source.Address, 0), out var existed);
        bucket.Tokens = existed ? Math.Min(_burst, bucket.Tokens + (now - bucket.LastTicks) * _perTick) : _burst;
        bucket.LastTicks = now;
        if (bucket.Tokens < 1) return false;
        bucket.Tokens -= 1;
        return true;
    }
}
