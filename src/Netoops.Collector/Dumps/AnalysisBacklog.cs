using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;

namespace Netoops.Collector.Dumps;

/// <summary>
/// The text of finished dumps waiting for the analysts, bounded: an owned instance the shards take
/// from and the analysts give back to (it used to be a metrics gauge read as back-pressure). Counted
/// per sender prefix (IPv4 /24, IPv6 /64) so that a flood costs the flooder: once the backlog is
/// full, a dump is still admitted into a reserve of a quarter more if its prefix has nothing
/// waiting, so a quiet host's crash gets past a flood from other networks. The lock is held for a
/// few additions; shards and analysts take it a few thousand times a second at most.
/// </summary>
public sealed class AnalysisBacklog(long maxBytes, CollectorMetrics metrics)
{
    private readonly Dictionary<UInt128, long> _byPrefix = [];
    private readonly Lock _lock = new();
    private long _bytes;

    public long MaxBytes => maxBytes;

    /// <summary>
    /// More than a sixteenth of the room is taken: analysis is falling behind (a storm). Only then
    /// do the analysts count a dump as an occurrence of a recent report instead of analysing it
    /// and keeping its text.
    /// </summary>
    public bool FallingBehind => Bytes > maxBytes / 16;

    public long Bytes
    {
        get { lock (_lock) return _bytes; }
    }

    /// <summary>Takes room for <paramref name="bytes"/> of <paramref name="source"/>'s text; false when there is none (the caller drops and counts).</summary>
    public bool TryAdmit(SourceAddress source, long bytes)
    {
        var prefix = PrefixOf(source);
        lock (_lock)
        {
            var held = _byPrefix.GetValueOrDefault(prefix);
            var room = held == 0 ? maxBytes + maxBytes / 4 : maxBytes;
            if (_bytes + bytes > room) return false;
            _byPrefix[prefix] = held + bytes;
            _bytes += bytes;
        }
        metrics.AnalysisBacklogBytes.Add(bytes);
        return true;
    }

    /// <summary>Gives back what <see cref="TryAdmit"/> took, once the dump is analysed (or failed).</summary>
    public void Release(SourceAddress source, long bytes)
    {
        var prefix = PrefixOf(source);
        lock (_lock)
        {
            var left = _byPrefix.GetValueOrDefault(prefix) - bytes;
            if (left > 0) _byPrefix[prefix] = left;
            else _byPrefix.Remove(prefix);
            _bytes -= bytes;
        }
        metrics.AnalysisBacklogBytes.Add(-bytes);
    }

    /// <summary>A network as one party: the /24 of an IPv4 sender, the /64 of an IPv6 one.</summary>
    public static UInt128 PrefixOf(SourceAddress source) =>
        source.IsV4 ? source.Address >> 8 : source.Address >> 64;
}
