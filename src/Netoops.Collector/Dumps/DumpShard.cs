using System.Buffers;
using Akka.Actor;
using Netoops.Collector.Actors;
using Netoops.Collector.Metrics;
using Netoops.Protocol.Packets;

namespace Netoops.Collector.Dumps;

/// <summary>
/// Owns the dumps of the senders hashed to it (key: source, boot_id, dump_id, type) as plain
/// <see cref="PendingDump"/> objects: a new dump costs a dictionary entry, not an actor and a
/// timer. Complete → handed to the analysts. Idle for the timeout (one periodic sweep over the
/// least-recently-active order, not a timer per dump) → handed on as partial with its missing
/// packet numbers. Memory is counted per sender and per shard by what arrived; a dump that does
/// not fit evicts the least recently active dumps (of its own sender first), each stored as partial
/// and counted. Finished keys are remembered for twice the timeout so that the retransmit rounds
/// that follow are counted as duplicates instead of starting a new, partial dump.
/// </summary>
public sealed class DumpShard : ReceiveActor, IWithTimers
{
    /// <param name="MaxBytes">This shard's share of the overall budget.</param>
    public sealed record Settings(TimeSpan Timeout, long MaxBytesPerSource, long MaxBytes, PacketLimits Limits);

    private sealed record Sweep
    {
        public static readonly Sweep Instance = new();
    }

    /// <summary>A sender's dumps, least recently active first, and the memory they hold.</summary>
    private sealed class SourceDumps
    {
        public readonly LinkedList<PendingDump> Dumps = new();
        public long Bytes;
    }

    private const int MaxRemembered = 1_000_000;

    /// <summary>
    /// Competing candidates one key may have: the real dump and a few forgeries or a resend with
    /// another layout; a packet disagreeing with all of them is refused (count_mismatch).
    /// </summary>
    private const int MaxCandidates = 4;

    private readonly Dictionary<DumpKey, PendingDump> _dumps = [];
    private readonly Dictionary<UInt128, SourceDumps> _sources = [];
    private readonly LinkedList<PendingDump> _byActivity = new();
    private readonly RecentKeys _finished;
    private readonly ReplayWindow _replays = new();
    private readonly Settings _settings;
    private readonly CollectorMetrics _metrics;
    private readonly IActorRef _analysts;
    private readonly ShardInbox? _inbox;
    /// <summary>Shared by every shard and the analysts: finished dumps' text the analysts have queued.</summary>
    private readonly AnalysisBacklog _backlog;
    private readonly StormFold? _fold;
    private long _bytes;
    private int _pending;
    private int _peakDumps;

    public ITimerScheduler Timers { get; set; } = null!;

    public DumpShard(Settings settings, CollectorMetrics metrics, IActorRef analysts, AnalysisBacklog backlog, ShardInbox? inbox = null,
        StormFold? fold = null)
    {
        _inbox = inbox;
        _backlog = backlog;
        _fold = fold;
        _settings = settings;
        _metrics = metrics;
        _analysts = analysts;
        // Retransmit rounds follow within seconds; twice the timeout is ample and keeps the set small.
        _finished = new RecentKeys(2 * settings.Timeout, MaxRemembered);
        Receive<DumpPackets>(batch => batch.Packets.ForEach(Add));
        Receive<DumpPacket>(Add);
        Receive<Sweep>(_ => FinishIdle(DateTimeOffset.UtcNow));
    }

    /// <param name="inbox">Shared with the receive thread, which sheds packets while it is full; null when nothing sheds.</param>
    /// <param name="fold">Null: every finished dump goes to the analysts (or is dropped at the backlog).</param>
    public static Props Props(Settings settings, CollectorMetrics metrics, IActorRef analysts, AnalysisBacklog backlog, ShardInbox? inbox = null,
        StormFold? fold = null) =>
        Akka.Actor.Props.Create(() => new DumpShard(settings, metrics, analysts, backlog, inbox, fold));

    /// <summary>How often idle dumps are looked for: a quarter of the timeout, so a dump is late by at most that.</summary>
    public static TimeSpan SweepInterval(TimeSpan timeout) =>
        TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromSeconds(1).Ticks));

    protected override void PreStart() =>
        Timers.StartPeriodicTimer("sweep", Sweep.Instance, SweepInterval(_settings.Timeout));

    protected override void PostStop()
    {
        // Whatever is still pending leaves memory with the shard; the gauges must say so.
        _metrics.DumpsPending.Add(-_pending);
        _metrics.DumpsPendingBytes.Add(-_bytes);
        foreach (var first in _dumps.Values)
            for (var candidate = first; candidate is not null; candidate = candidate.Rival) candidate.Release();
    }

    private void Add(DumpPacket message)
    {
        var kept = false;
        try
        {
            kept = Add(message, message.Bytes);
        }
        finally
        {
            if (!kept) message.Release();
            _inbox?.Leave();
        }
    }

    /// <summary>True when a dump kept the packet's buffer (it is released with the dump).</summary>
    private bool Add(DumpPacket message, ReadOnlySpan<byte> bytes)
    {
        // Validated by the receive loop already; decoding again is a few header reads.
        if (NetoopsPacket.TryDecode(bytes, _settings.Limits, out var packet) != PacketError.None) return false;
        var key = new DumpKey(message.Source, packet.BootId, packet.DumpId, (ushort)packet.Type);
        var layout = PendingDump.LayoutOf(packet);
        PendingDump dump;
        if (_dumps.TryGetValue(key, out var first))
        {
            if (CandidateWith(first, layout) is { } candidate) dump = candidate;
            else if (CandidatesOf(first) < MaxCandidates)
            {
                _metrics.DumpCandidates.Increment();
                dump = Start(key, packet, message, first);
            }
            else
            {
                _metrics.DumpPacketsCountMismatch.Increment();
                return false;
            }
        }
        else if (_finished.Contains(key, message.ReceivedAt))
        {
            _metrics.DumpPacketsDuplicate.Increment();
            return false;
        }
        else if (message.Authenticated && _replays.IsReplay(key.Source.Address, key.BootId, key.DumpId))
        {
            _metrics.DumpPacketsReplayed.Increment();
            return false;
        }
        else dump = Start(key, packet, message, rivalOf: null);

        var before = dump.Bytes;
        var outcome = dump.Add(packet, message.Buffer);
        (outcome switch
        {
            AddOutcome.Accepted => _metrics.DumpPacketsAccepted,
            AddOutcome.Duplicate => _metrics.DumpPacketsDuplicate,
            AddOutcome.ConflictingDuplicate => _metrics.DumpPacketsConflicting,
            _ => _metrics.DumpPacketsCountMismatch,
        }).Increment();
        Touch(dump, message.ReceivedAt);
        Charge(dump, dump.Bytes - before);
        if (dump.IsComplete) Decide(key, remember: true);
        else if (outcome == AddOutcome.Accepted) MakeRoom(dump);
        return outcome == AddOutcome.Accepted;
    }

    private static PendingDump? CandidateWith(PendingDump first, int layout)
    {
        for (var candidate = first; candidate is not null; candidate = candidate.Rival)
            if (candidate.Layout == layout) return candidate;
        return null;
    }

    private static int CandidatesOf(PendingDump first)
    {
        var n = 0;
        for (var candidate = first; candidate is not null; candidate = candidate.Rival) n++;
        return n;
    }

    /// <param name="rivalOf">The key's first candidate when this one competes with it; null for a new key.</param>
    private PendingDump Start(DumpKey key, NetoopsPacket first, DumpPacket message, PendingDump? rivalOf)
    {
        var dump = new PendingDump(key, first, message.ReceivedAt, message.Pool, message.Authenticated);
        if (rivalOf is null) _dumps.Add(key, dump);
        else
        {
            var last = rivalOf;
            while (last.Rival is not null) last = last.Rival;
            last.Rival = dump;
        }
        if (!_sources.TryGetValue(key.Source.Address, out var source))
            _sources.Add(key.Source.Address, source = new SourceDumps());
        source.Dumps.AddLast(dump.InSource);
        _byActivity.AddLast(dump.Activity);
        _pending++;
        _peakDumps = Math.Max(_peakDumps, _pending);
        _metrics.DumpsPending.Add(1);
        Charge(dump, dump.Bytes);
        return dump;
    }

    private void Touch(PendingDump dump, DateTimeOffset at)
    {
        dump.LastPacket = at;
        _byActivity.Remove(dump.Activity);
        _byActivity.AddLast(dump.Activity);
        var source = dump.InSource.List!;
        source.Remove(dump.InSource);
        source.AddLast(dump.InSource);
    }

    private void Charge(PendingDump dump, long bytes)
    {
        if (bytes == 0) return;
        _sources[dump.Key.Source.Address].Bytes += bytes;
        _bytes += bytes;
        _metrics.DumpsPendingBytes.Add(bytes);
    }

    /// <summary>
    /// Evicts the least recently active dumps (never <paramref name="growing"/>'s, which was just
    /// touched) until the sender and then the shard are back within budget.
    /// </summary>
    private void MakeRoom(PendingDump growing)
    {
        var source = _sources[growing.Key.Source.Address];
        while (source.Bytes > _settings.MaxBytesPerSource && OldestBut(source.Dumps, growing.Key) is { } victim)
            Evict(victim);
        while (_bytes > _settings.MaxBytes && OldestBut(_byActivity, growing.Key) is { } victim)
            Evict(victim);
    }

    /// <summary>The least recently active dump of <paramref name="order"/> that is not a candidate for <paramref name="spared"/>.</summary>
    private static PendingDump? OldestBut(LinkedList<PendingDump> order, DumpKey spared)
    {
        for (var node = order.First; node is not null; node = node.Next)
            if (node.Value.Key != spared) return node.Value;
        return null;
    }

    private void Evict(PendingDump dump)
    {
        _metrics.DumpsEvicted.Increment();
        Decide(dump.Key, remember: false);
    }

    private void FinishIdle(DateTimeOffset now)
    {
        while (_byActivity.First is { } oldest && now - oldest.Value.LastPacket >= _settings.Timeout)
            Decide(oldest.Value.Key, remember: true);
        _finished.Expire(now);
        TrimAfterFlood();
    }

    /// <summary>
    /// Ends a key: of its candidates, the complete one (or else the one that has the largest share
    /// of its own packets) is stored, the others are discarded and counted. The one place a dump
    /// leaves the shard. An evicted dump is not remembered: if the rest of it arrives later it
    /// starts again rather than being counted as duplicates of a dump it never saw.
    /// </summary>
    private void Decide(DumpKey key, bool remember)
    {
        var first = _dumps[key];
        var winner = first;
        for (var candidate = first.Rival; candidate is not null; candidate = candidate.Rival)
            if (Outranks(candidate, winner)) winner = candidate;
        Store(winner);
        if (winner.Authenticated) _replays.Take(key.Source.Address, key.BootId, key.DumpId);
        for (var candidate = first; candidate is not null; candidate = candidate.Rival)
        {
            if (candidate != winner) _metrics.DumpCandidatesDiscarded.Increment();
            Forget(candidate);
        }
        _dumps.Remove(key);
        if (remember) _finished.Add(key, DateTimeOffset.UtcNow);
    }

    /// <summary>Complete beats partial; then the larger share of its own packet_count, then more packets; a tie keeps the earlier.</summary>
    private static bool Outranks(PendingDump candidate, PendingDump best)
    {
        if (candidate.IsComplete != best.IsComplete) return candidate.IsComplete;
        var share = (long)candidate.Chunks * best.PacketCount - (long)best.Chunks * candidate.PacketCount;
        return share != 0 ? share > 0 : candidate.Chunks > best.Chunks;
    }

    private void Store(PendingDump dump)
    {
        (dump.IsComplete ? _metrics.DumpsComplete : _metrics.DumpsPartial).Increment();
        if (_fold is not null && _backlog.FallingBehind)
        {
            FoldOrAnalyse(dump);
            return;
        }
        // The analysts' mailboxes are unbounded; when they fall this far behind, memory wins over
        // the dump. Decided before the text is put together: building the text of a dump only to
        // drop it doubled what the shards allocated. In a storm the analysts fold most dumps in
        // microseconds (DumpAnalyst), which is what keeps this backlog short.
        if (!_backlog.TryAdmit(dump.Key.Source, dump.TextLength))
            _metrics.DumpsDropped.Increment();
        else
            _analysts.Tell(new AnalyseDump(dump.Finish()));
    }

    /// <summary>
    /// A storm (analysis falling behind): a dump whose report fingerprint matches one analysed moments
    /// ago is stored as an occurrence of it right here, in ~7 us at the shards' priority, instead of
    /// queueing for the analysts, whose lowered priority starves first when the receive path is busy
    /// (with them folding, 7,266 of 52,214 complete dumps were counted under a 115,000 packets/s storm).
    /// </summary>
    private void FoldOrAnalyse(PendingDump dump)
    {
        // Fingerprinted in a pooled buffer: a storm's text is read once and never allocated.
        var text = ArrayPool<byte>.Shared.Rent(dump.TextLength);
        ulong? fingerprint;
        try
        {
            dump.CopyTextTo(text);
            fingerprint = DumpAnalyst.FingerprintOf(dump.Header, text.AsSpan(0, dump.TextLength));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(text);
        }
        if (fingerprint is { } known && _fold!.Recent.TryGet(known, DateTimeOffset.UtcNow, out var analysis))
        {
            _metrics.DumpsFolded.Increment();
            _fold.Store.Tell(new StoreCrash(DumpAnalyst.Occurrence(dump.FinishWithoutText(), analysis)));
        }
        else if (!_backlog.TryAdmit(dump.Key.Source, dump.TextLength))
            _metrics.DumpsDropped.Increment();
        else
            _analysts.Tell(new AnalyseDump(dump.Finish()));
    }

    /// <summary>Takes one candidate out of the orders and the budgets and gives its buffers back.</summary>
    private void Forget(PendingDump dump)
    {
        _byActivity.Remove(dump.Activity);
        var source = _sources[dump.Key.Source.Address];
        source.Dumps.Remove(dump.InSource);
        source.Bytes -= dump.Bytes;
        if (source.Dumps.Count == 0) _sources.Remove(dump.Key.Source.Address);
        _bytes -= dump.Bytes;
        _pending--;
        _metrics.DumpsPending.Add(-1);
        _metrics.DumpsPendingBytes.Add(-dump.Bytes);
        dump.Release();
    }

    /// <summary>Dictionaries keep their largest size; after a flood has drained, give that memory back.</summary>
    private void TrimAfterFlood()
    {
        if (_peakDumps < 4096 || _pending > _peakDumps / 8) return;
        _dumps.TrimExcess();
        _sources.TrimExcess();
        _peakDumps = _pending;
    }
}
