namespace Netoops.Actors.Netconsole;

/// <summary>
/// A token bucket over an injected clock: <paramref name="ratePerSecond"/> tokens a second, at
/// most <paramref name="burst"/> saved up. Pure and single-owner (used inside one actor).
/// </summary>
public sealed class TokenBucket(double ratePerSecond, int burst)
{
    private double _tokens = burst;
    private TimeSpan? _last;

    public bool TryTake(TimeSpan now)
    {
        if (_last is { } last && now > last)
            _tokens = Math.Min(burst, _tokens + (now - last).TotalSeconds * ratePerSecond);
        _last = now;
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}
