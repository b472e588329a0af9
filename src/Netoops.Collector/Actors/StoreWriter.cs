using Akka.Actor;
using Akka.Event;
using Netoops.Collector.Metrics;
using Netoops.Collector.Storage;

namespace Netoops.Collector.Actors;

/// <summary>Queue a crash for storage. Fire-and-forget: a full queue drops it with a counter.</summary>
public sealed record StoreCrash(CrashRecord Crash);

/// <summary>Answered with <see cref="Flushed"/> once everything queued before it is committed (or dropped).</summary>
public sealed record Flush
{
    public static readonly Flush Instance = new();
}

public sealed record Flushed
{
    public static readonly Flushed Instance = new();
}

/// <summary>
/// The single writer of the crash database. Crashes queue while a batch is being written, so
/// batches grow with load (one transaction each); the write runs as a task piped back, keeping
/// the mailbox responsive. Retention runs here too, so it never races a batch.
/// </summary>
public sealed class StoreWriter : ReceiveActor, IWithTimers
{
    /// <param name="QueueBytes">Memory the queued crashes may hold (their text counted as UTF-16), whatever their number.</param>
    /// <param name="HostBudget">Crashes a host may have stored per minute; null: no limit.</param>
    public sealed record Settings(int BatchSize, int QueueCapacity, RetentionPolicy Retention, TimeSpan RetentionEvery, long QueueBytes = 256L << 20,
        HostCrashBudget? HostBudget = null);

    private sealed record BatchDone(int Count);
    private sealed record BatchFailed(IReadOnlyList<CrashRecord> Batch, Exception Error, int Attempt);
    private sealed record Retry(IReadOnlyList<CrashRecord> Batch, int Attempt);
    private sealed record RunRetention
    {
        public static readonly RunRetention Instance = new();
    }
    private sealed record RetentionDone(RetentionResult Result);
    private sealed record RetentionFailed(Exception Error);
    private sealed record SummariseOverLimit
    {
        public static readonly SummariseOverLimit Instance = new();
    }

    private const int MaxAttempts = 5;

    private readonly CrashStore _store;
    private readonly CollectorMetrics _metrics;
    private readonly Settings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<CrashRecord> _queue = new();
    private readonly List<IActorRef> _flushWaiters = [];
    private long _queuedBytes;
    /// <summary>Crashes over their host's budget since the last summary, per host.</summary>
    private readonly Dictionary<string, long> _overLimit = new(StringComparer.Ordinal);
    private bool _busy;

    public ITimerScheduler Timers { get; set; } = null!;

    public StoreWriter(CrashStore store, CollectorMetrics metrics, Settings settings)
    {
        _store = store;
        _metrics = metrics;
        _settings = settings;

        Receive<StoreCrash>(m =>
        {
            var size = SizeOf(m.Crash);
            if (settings.HostBudget is { } budget && !budget.TryTake(m.Crash.HostAddress, size, DateTimeOffset.UtcNow))
            {
                _metrics.StoreCrashesOverHostLimit.Increment();
                _overLimit[m.Crash.HostAddress] = _overLimit.GetValueOrDefault(m.Crash.HostAddress) + 1;
                return;
            }
            if (_queue.Count >= settings.QueueCapacity || _queuedBytes + size > settings.QueueBytes)
            {
                _metrics.StoreDropped.Increment();
                return;
            }
            _queue.Enqueue(m.Crash);
            _queuedBytes += size;
            _metrics.StoreQueue.Set(_queue.Count);
            WriteNext();
        });
        Receive<Flush>(_ =>
        {
            _flushWaiters.Add(Sender);
            AnswerFlushes();
        });
        Receive<BatchDone>(m =>
        {
            _busy = false;
            _metrics.StoreCrashesWritten.Add(m.Count);
            _metrics.StoreBatches.Increment();
            WriteNext();
        });
        Receive<BatchFailed>(m =>
        {
            _metrics.StoreErrors.Increment();
            if (m.Attempt >= MaxAttempts)
            {
                _log.Error(m.Error, "dropping {0} crashes after {1} failed writes", m.Batch.Count, m.Attempt);
                _metrics.StoreDropped.Add(m.Batch.Count);
                _busy = false;
                WriteNext();
                return;
            }
            _log.Warning("write of {0} crashes failed ({1}); retrying", m.Batch.Count, m.Error.Message);
            Timers.StartSingleTimer("retry", new Retry(m.Batch, m.Attempt + 1), TimeSpan.FromMilliseconds(200 * m.Attempt));
        });
        Receive<Retry>(m => Write(m.Batch, m.Attempt));
        Receive<RunRetention>(_ =>
        {
            if (_settings.Retention is { MaxAge: null, MaxCrashes: null }) return;
            _store.ApplyRetentionAsync(_settings.Retention, DateTimeOffset.UtcNow)
                .PipeTo(Self, success: r => new RetentionDone(r), failure: e => new RetentionFailed(e));
        });
        Receive<SummariseOverLimit>(_ => Summarise());
        Receive<RetentionFailed>(m => _log.Warning("retention failed, will retry next period: {0}", m.Error.Message));
        Receive<RetentionDone>(m =>
        {
            if (m.Result.CrashesDeleted > 0)
                _log.Info("retention deleted {0} crashes, {1} buckets, {2} hosts", m.Result.CrashesDeleted, m.Result.BucketsDeleted, m.Result.HostsDeleted);
        });
    }

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("retention", RunRetention.Instance, TimeSpan.FromSeconds(5), _settings.RetentionEvery);
        Timers.StartPeriodicTimer("over-limit", SummariseOverLimit.Instance, TimeSpan.FromMinutes(1));
    }

    /// <summary>One log line a minute for a flood, not one per crash: the loudest hosts and the total.</summary>
    private void Summarise()
    {
        if (_overLimit.Count == 0) return;
        var loudest = string.Join(", ", _overLimit.OrderByDescending(h => h.Value).Take(5).Select(h => $"{h.Key} x{h.Value}"));
        _log.Warning("{0} crashes from {1} hosts over the per-host limit were counted, not stored, in the last minute: {2}",
            _overLimit.Values.Sum(), _overLimit.Count, loudest);
        _overLimit.Clear();
    }

    private void WriteNext()
    {
        if (_busy || _queue.Count == 0)
        {
            AnswerFlushes();
            return;
        }
        var batch = new List<CrashRecord>(Math.Min(_queue.Count, _settings.BatchSize));
        while (batch.Count < _settings.BatchSize && _queue.TryDequeue(out var crash))
        {
            batch.Add(crash);
            _queuedBytes -= SizeOf(crash);
        }
        _metrics.StoreQueue.Set(_queue.Count);
        Write(batch, 1);
    }

    private void Write(IReadOnlyList<CrashRecord> batch, int attempt)
    {
        _busy = true;
        _store.WriteAsync(batch).PipeTo(Self,
            success: ids => new BatchDone(ids.Count),
            failure: e => new BatchFailed(batch, e, attempt));
    }

    /// <summary>What a queued crash holds: its texts (two bytes a char) and a fixed allowance for the rest.</summary>
    public static long SizeOf(CrashRecord crash) => 2L * (crash.LogText.Length + crash.Report.Length) + 1024;

    private void AnswerFlushes()
    {
        if (_busy || _queue.Count > 0) return;
        foreach (var waiter in _flushWaiters) waiter.Tell(Flushed.Instance);
        _flushWaiters.Clear();
    }
}
