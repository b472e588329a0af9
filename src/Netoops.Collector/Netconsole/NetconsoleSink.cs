using System.Runtime.CompilerServices;
using Akka.Actor;
using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;
using Netoops.Protocol.Netconsole;

namespace Netoops.Collector.Netconsole;

/// <summary>
/// The netconsole receive loop's sink: one <see cref="NetconsoleSession"/> per (source address,
/// port), all owned by the loop thread, so the per-message path takes no locks and sends no
/// actor message; only captured crash reports leave the thread (to the analyst actor). Sessions are
/// bounded in number: idle ones are swept, and a new sender beyond the bound takes the place of the
/// least recently active one (counted in netoops_netconsole_sessions_evicted_total).
/// </summary>
public sealed class NetconsoleSink(NetconsoleSession.Settings settings, int maxSessions, TimeSpan sessionIdle,
    CollectorMetrics metrics, NetconsoleTails tails, IActorRef analyst, FragmentBudget? fragmentBudget = null) : IDatagramSink
{
    /// <summary>Every sender's incomplete ncfrag messages draw on this one budget (64 MiB by default).</summary>
    private readonly FragmentBudget _fragmentBudget = fragmentBudget ?? FragmentBudget.Default();

    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(1);

    private readonly SourceTable<NetconsoleSession> _sessions = new();
    /// <summary>Every session with the time it was last known active, oldest first (see <see cref="EvictLeastActive"/>).</summary>
    private readonly Queue<(SourceAddress Source, DateTimeOffset Seen)> _age = new();
    private DateTimeOffset _lastSweep;
    // Read once per batch: a batch arrives within microseconds, and the clock is not free.
    private DateTimeOffset? _batchTime;

    public int Sessions => _sessions.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string? OnDatagram(ReadOnlyMemory<byte> datagram, in SourceAddress source)
    {
        var now = _batchTime ??= DateTimeOffset.UtcNow;
        if (!_sessions.TryGetValue(source, out var session))
        {
            if (_sessions.Count >= maxSessions && !EvictLeastActive()) return "session_limit";
            session = new NetconsoleSession(source, settings, metrics, tails, crash => analyst.Tell(crash), _fragmentBudget);
            _sessions.Set(source, session);
            _age.Enqueue((source, now));
            metrics.NetconsoleSessions.Set(_sessions.Count);
        }
        return session.OnDatagram(datagram, now);
    }

    /// <summary>
    /// Makes room for a new sender: a host that starts talking (a crash, more often than not) always
    /// gets a session, and the one that goes is the least recently active, so a flood of new
    /// sources churns through itself instead of refusing the fleet. Second-chance order: a session
    /// heard from since it was queued goes to the back with its new time, so each eviction costs
    /// O(1) amortised however many sessions there are.
    /// </summary>
    private bool EvictLeastActive()
    {
        while (_age.TryDequeue(out var entry))
        {
            if (!_sessions.TryGetValue(entry.Source, out var session))
                continue; // swept already
            if (session.LastSeen > entry.Seen)
            {
                _age.Enqueue((entry.Source, session.LastSeen));
                continue;
            }
            session.Close();
            _sessions.Remove(entry.Source);
            metrics.NetconsoleSessionsEvicted.Increment();
            return true;
        }
        return false;
    }

    public void OnBatchEnd()
    {
        if (_batchTime is { } now && now - _lastSweep >= SweepEvery) Sweep(now);
        _batchTime = null;
    }

    public void OnIdle() => Sweep(DateTimeOffset.UtcNow);

    private void Sweep(DateTimeOffset now)
    {
        _lastSweep = now;
        List<SourceAddress>? idle = null;
        foreach (var (source, session) in _sessions.ToList())
        {
            session.OnTick(now);
            if (now - session.LastSeen >= sessionIdle) (idle ??= []).Add(source);
        }
        metrics.NetconsoleFragmentBytes.Set(_fragmentBudget.HeldBytes);
        if (idle is null) return;
        foreach (var source in idle)
        {
            if (_sessions.TryGetValue(source, out var session)) session.Close();
            _sessions.Remove(source);
        }
        metrics.NetconsoleSessions.Set(_sessions.Count);
        // Swept sessions leave their entries behind; rebuild once they outnumber the living.
        if (_age.Count > 2 * _sessions.Count + 64)
        {
            _age.Clear();
            foreach (var (source, session) in _sessions.ToList().OrderBy(p => p.Value.LastSeen))
                _age.Enqueue((source, session.LastSeen));
        }
    }
}
