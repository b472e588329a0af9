namespace Netoops.Collector.Netconsole;

/// <summary>
/// What one host's netconsole streams said about their own loss, for the host's API entry: the
/// receive thread is the only writer (plain increments), the API reads a snapshot (a torn read of
/// a counter that is one message old is harmless; 64-bit fields are read whole on 64-bit hosts).
/// </summary>
public sealed class HostStream
{
    private long _messages, _gaps, _missing, _late, _duplicates, _resets, _firstSeenMs, _lastSeenMs;
    private string? _release;

    /// <param name="Missing">Numbers skipped by gaps, as counted when skipped (late arrivals are counted apart).</param>
    public sealed record Snapshot(long Messages, long Gaps, long Missing, long Late, long Duplicates, long Resets,
        DateTimeOffset FirstSeen, DateTimeOffset LastSeen, string? Release);

    public void Message(DateTimeOffset now)
    {
        if (_messages++ == 0) Volatile.Write(ref _firstSeenMs, now.ToUnixTimeMilliseconds());
        Volatile.Write(ref _lastSeenMs, now.ToUnixTimeMilliseconds());
    }

    public void Gap(ulong skipped)
    {
        _gaps++;
        _missing += (long)skipped;
    }

    public void Late() => _late++;
    public void Duplicate() => _duplicates++;
    public void Reset() => _resets++;
    public void Release(string? release) => Volatile.Write(ref _release, release);

    public Snapshot Read() => new(Volatile.Read(ref _messages), Volatile.Read(ref _gaps), Volatile.Read(ref _missing),
        Volatile.Read(ref _late), Volatile.Read(ref _duplicates), Volatile.Read(ref _resets),
        DateTimeOffset.FromUnixTimeMilliseconds(Volatile.Read(ref _firstSeenMs)), DateTimeOffset.FromUnixTimeMilliseconds(Volatile.Read(ref _lastSeenMs)), Volatile.Read(ref _release));
}
