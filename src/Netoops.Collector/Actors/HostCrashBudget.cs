using System.Collections.Concurrent;

namespace Netoops.Collector.Actors;

/// <summary>
/// How many crashes, and how many bytes of crash text, one host may have stored per minute: two
/// token buckets per host, refilled continuously, full for a host not heard from in a minute. A
/// host over either is not stored row by row: the excess is counted per host (`crashes_over_limit`
/// in `/api/hosts`, `netoops_store_crashes_over_host_limit_total`) and summarised in the log. This
/// bounds what one host's flood adds to the database: at the defaults (60 crashes, 16 MiB a
/// minute) at most 16 MiB of text plus ~60 KiB of rows a minute per host, whatever it sends.
/// The store writer is the only writer; the API reads the counts (hence concurrent).
/// </summary>
public sealed class HostCrashBudget(int crashesPerMinute, long bytesPerMinute, int maxHosts = 100_000, Metrics.Counter? untracked = null)
{
    private sealed class Host
    {
        public double Crashes;
        public double Bytes;
        public DateTimeOffset At;
        public long OverLimit;
    }

    private readonly ConcurrentDictionary<string, Host> _hosts = new(StringComparer.Ordinal);
    private long _untracked;

    /// <summary>Crashes let through without a budget because the table of hosts was full of hosts over theirs.</summary>
    public long Untracked => Interlocked.Read(ref _untracked);

    public int Hosts => _hosts.Count;

    public static HostCrashBudget Unlimited { get; } = new(0, 0);

    private bool Limited => crashesPerMinute > 0 || bytesPerMinute > 0;

    /// <summary>Takes one crash of <paramref name="bytes"/> from <paramref name="host"/>'s budget; false when over (and counted).</summary>
    public bool TryTake(string host, long bytes, DateTimeOffset now)
    {
        if (!Limited) return true;
        if (!_hosts.TryGetValue(host, out var budget))
        {
            if (_hosts.Count >= maxHosts) ForgetRefilled(now);
            // Still full: every tracked host was over its budget within the minute. A new host
            // would start with a full budget anyway; it is let through untracked (counted) rather
            // than growing the table with every spoofed address.
            if (_hosts.Count >= maxHosts)
            {
                Interlocked.Increment(ref _untracked);
                untracked?.Increment();
                return true;
            }
            budget = _hosts.GetOrAdd(host, _ => new Host { Crashes = crashesPerMinute, Bytes = bytesPerMinute, At = now });
        }
        var minutes = Math.Max((now - budget.At).TotalMinutes, 0);
        budget.At = now;
        budget.Crashes = Math.Min(crashesPerMinute, budget.Crashes + minutes * crashesPerMinute);
        budget.Bytes = Math.Min(bytesPerMinute, budget.Bytes + minutes * bytesPerMinute);
        if ((crashesPerMinute > 0 && budget.Crashes < 1) || (bytesPerMinute > 0 && budget.Bytes < Math.Min(bytes, bytesPerMinute)))
        {
            Interlocked.Increment(ref budget.OverLimit);
            return false;
        }
        budget.Crashes -= 1;
        budget.Bytes -= bytes;
        return true;
    }

    /// <summary>Crashes of <paramref name="host"/> not stored for being over its budget, since the collector started.</summary>
    public long OverLimit(string host) => _hosts.TryGetValue(host, out var budget) ? Interlocked.Read(ref budget.OverLimit) : 0;

    /// <summary>Hosts whose budget has refilled and that were never over it carry nothing worth keeping.</summary>
    private void ForgetRefilled(DateTimeOffset now)
    {
        foreach (var (name, host) in _hosts)
            if (host.OverLimit == 0 && now - host.At >= TimeSpan.FromMinutes(1)) _hosts.TryRemove(name, out _);
    }
}
