namespace Netoops.Collector.Dumps;

/// <summary>
/// Keys seen in the last <c>horizon</c>, oldest dropped first, never more than <c>capacity</c>:
/// a bounded memory of finished dumps, so their late retransmit rounds are recognised.
/// </summary>
public sealed class RecentKeys(TimeSpan horizon, int capacity)
{
    private readonly Dictionary<DumpKey, DateTimeOffset> _at = [];
    private readonly Queue<(DumpKey Key, DateTimeOffset At)> _order = new();
    private int _peak;

    public int Count => _at.Count;

    public void Add(DumpKey key, DateTimeOffset now)
    {
        _at[key] = now;
        _order.Enqueue((key, now));
        _peak = Math.Max(_peak, _order.Count);
        Expire(now);
    }

    public bool Contains(DumpKey key, DateTimeOffset now) =>
        _at.TryGetValue(key, out var at) && now - at < horizon;

    public void Expire(DateTimeOffset now)
    {
        while (_order.TryPeek(out var oldest) && (now - oldest.At >= horizon || _order.Count > capacity))
        {
            _order.Dequeue();
            // A key finished twice is queued twice; only its latest entry removes it.
            if (_at.TryGetValue(oldest.Key, out var at) && at == oldest.At) _at.Remove(oldest.Key);
        }
        // Both keep their largest size; once a burst has expired, give that memory back.
        if (_peak >= 4096 && _order.Count < _peak / 8)
        {
            _at.TrimExcess();
            _order.TrimExcess();
            _peak = _order.Count;
        }
    }
}
