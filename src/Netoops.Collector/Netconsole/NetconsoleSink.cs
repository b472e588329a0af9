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
/// bounded in number: idle ones are swept, and a new sender beyond the bound is refused and counted.
/// </summary>
public sealed class NetconsoleSink(NetconsoleSession.Settings settings, int maxSessions, TimeSpan sessionIdle,
    CollectorMetrics metrics, NetconsoleTails tails, IActorRef analyst, FragmentBudget? fragmentBudget = null) : IDatagramSink
{
    /// <summary>Every sender's incomplete ncfrag messages draw on this one budget (64 MiB by default).</summary>
    private readonly FragmentBudget _fragmentBudget = fragmentBudget ?? FragmentBudget.Default();

    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(1);

    private readonly SourceTable<NetconsoleSession> _sessions = new();
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
            if (_sessions.Count >= maxSessions) return "session_limit";
            session = new NetconsoleSession(source, settings, metrics, tails, crash => analyst.Tell(crash), _fragmentBudget);
            _sessions.Set(source, session);
            metrics.NetconsoleSessions.Set(_sessions.Count);
        }
        return session.OnDatagram(datagram, now);
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
    }
}
