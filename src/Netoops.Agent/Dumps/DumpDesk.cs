using Akka.Actor;
using Akka.Event;
using Netoops.Actors.Dumps;
using Netoops.Actors.Subsystems;
using Netoops.Actors.Targets;
using Netoops.Agent.Hosting;
using Netoops.Agent.Kmsg;
using Netoops.Agent.Machine;
using Netoops.Agent.Management;
using Netoops.Agent.Spool;
using Netoops.Analysis;
using Netoops.Protocol.Packets;

namespace Netoops.Agent.Dumps;

/// <summary>
/// A soft dump of <paramref name="Log"/> (the kmsg actor snapshots its ring on
/// <see cref="RequestSoftDump"/> and sends this). <paramref name="ReplyTo"/> gets the <see cref="DumpSummary"/>.
/// </summary>
public sealed record SoftDumpOf(LogSnapshot Log, IActorRef ReplyTo);

/// <summary>Reply: the last dumps, newest first, as <c>IReadOnlyList&lt;DumpSummary&gt;</c>.</summary>
public sealed record GetRecentDumps
{
    public static readonly GetRecentDumps Instance = new();
}

/// <summary>
/// A dump from elsewhere (a pstore record of the previous boot): spooled first, so that it is
/// durable before its source is removed, then sent. Reply: <see cref="PendingSpooled"/>.
/// </summary>
public sealed record SpoolAndSend(PendingDump Dump);

public sealed record PendingSpooled(long Sequence);

/// <summary>
/// /user/dumps: the agent's side of dumps. Live dumps (a crash report just completed, a soft-dump
/// request) become <see cref="DumpRequested"/> for the dump coordinator; a dump that no target
/// took is spooled. Spooled dumps (and pstore records, which are spooled first) are replayed when
/// a netoops target becomes Enabled, one at a time and oldest first. A replay keeps the header of
/// the boot that produced the dump (its boot_id, kernel release, user blob) and is not subject to
/// the live rate limit, which <see cref="DumpRequested"/> cannot express; so a replay slices its
/// packets and fans them out to the netoops subsystem itself. This actor alone touches the spool.
/// </summary>
public sealed class DumpDesk : ReceiveActor, IWithTimers
{
    /// <summary>How long targets get to report a replay; silence by then counts as not taken.</summary>
    public static readonly TimeSpan ReplayDeadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CoordinatorTimeout = TimeSpan.FromSeconds(30);
    private const int RecentKept = 16;
    private const string DeadlineTimer = "replay-deadline";

    private sealed record LiveReported(PendingDump Dump, DumpReport? Report, string? Failure, IActorRef? ReplyTo);
    private sealed record SpoolLive(PendingDump Dump, NetoopsSettings Settings);
    private sealed record ReplayDeadlinePassed(long Tag);
    private sealed record ResendSpool
    {
        public static readonly ResendSpool Instance = new();
    }

    private readonly IActorRef _netoops;
    private readonly IActorRef _coordinator;
    private readonly DumpSpool _spool;
    private readonly MachineFactsProvider _facts;
    private readonly AgentCounters _counters;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<SpoolEntry> _replayQueue = new();
    private readonly LinkedList<DumpSummary> _recent = new();

    private Replay? _replay;
    private long _tag;
    private ushort? _lastReplayId;

    private sealed class Replay(SpoolEntry entry, PendingDump dump, ushort dumpId, long tag)
    {
        public SpoolEntry Entry { get; } = entry;
        public PendingDump Dump { get; } = dump;
        public ushort DumpId { get; } = dumpId;
        public long Tag { get; } = tag;
        public bool Roster { get; set; }
        public HashSet<string> Awaiting { get; } = [];
        public List<TransmitReport> Reports { get; } = [];
    }

    public DumpDesk(IActorRef netoops, IActorRef coordinator, DumpSpool spool, MachineFactsProvider facts, AgentCounters counters)
    {
        _netoops = netoops;
        _coordinator = coordinator;
        _spool = spool;
        _facts = facts;
        _counters = counters;

        Receive<CrashDetected>(OnCrash);
        Receive<SoftDumpOf>(s => Live(Pending(DumpCause.Soft, s.Log, null, "soft"), s.ReplyTo));
        Receive<LiveReported>(OnLiveReported);
        Receive<SpoolLive>(s => Store(s.Dump with
        {
            BootId = s.Settings.BootId,
            UserBlob = System.Text.Encoding.UTF8.GetString(s.Settings.UserBlob.Span),
        }));
        Receive<SpoolAndSend>(OnSpoolAndSend);
        Receive<GetRecentDumps>(_ => Sender.Tell((IReadOnlyList<DumpSummary>)_recent.ToList()));
        Receive<TargetStateChanged>(OnTargetStateChanged);
        Receive<ResendSpool>(_ => QueueSpool());
        Receive<FanOutStarted>(OnFanOutStarted);
        Receive<TransmitReport>(OnTransmitReport);
        Receive<ReplayDeadlinePassed>(d => { if (_replay?.Tag == d.Tag) FinishReplay(); });
        Receive<Status.Failure>(f => _log.Warning("dumps: a request failed: {0}", f.Cause.Message));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef netoops, IActorRef coordinator, DumpSpool spool, MachineFactsProvider facts, AgentCounters counters)
        => Akka.Actor.Props.Create(() => new DumpDesk(netoops, coordinator, spool, facts, counters));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(TargetStateChanged));
        UpdateSpoolCounters();
        // Dumps left by a previous run wait for a target; one may already be enabled.
        if (_spool.Entries.Count > 0) Self.Tell(ResendSpool.Instance);
    }

    // ---- live dumps: through the coordinator --------------------------------------------------

    private void OnCrash(CrashDetected crash)
    {
        var cause = crash.Report.Kind switch
        {
            CrashKind.Panic => DumpCause.Panic,
            CrashKind.Warn => DumpCause.Warn,
            CrashKind.Oom => DumpCause.Oom,
            _ => DumpCause.Oops,
        };
        Live(Pending(cause, crash.Log, RegistersOf(crash.Report.Registers), "kmsg"), null);
    }

    private void Live(PendingDump dump, IActorRef? replyTo)
    {
        var request = new DumpRequested(ReasonOf(dump.Cause), new LogSnapshot(dump.Older, dump.Newer),
            dump.Registers is null ? null : Registers(dump.Registers), Cpu(dump));
        _coordinator.Ask<DumpReport>(request, CoordinatorTimeout).PipeTo(Self,
            success: report => new LiveReported(dump, report, null, replyTo),
            failure: e => new LiveReported(dump, null, e.Message, replyTo));
    }

    private void OnLiveReported(LiveReported live)
    {
        var report = live.Report;
        // Refused by policy (reason not dumped, rate limit): a decision, not a loss, so not spooled.
        var spool = report is null || (report.Refused is null && !report.Delivered);
        if (spool)
            _netoops.Ask<NetoopsSettings>(new GetNetoopsSettings(), CoordinatorTimeout)
                .PipeTo(Self, success: s => new SpoolLive(live.Dump, s));
        _counters.Add(report?.Delivered == true ? "dumps_sent" : report?.Refused is not null ? "dumps_refused" : "dumps_not_taken");

        var outcomes = report?.Targets.Select(t => new TargetDelivery(t.Target, t.Outcome.ToString(), t.Sent, t.Failed)).ToList()
                       ?? [];
        var summary = new DumpSummary(report?.DumpId ?? 0, live.Dump.Cause.ToString(), live.Dump.Origin,
            DateTimeOffset.UtcNow, outcomes, spool) { Refused = report?.Refused ?? live.Failure };
        Remember(summary);
        live.ReplyTo?.Tell(summary);
    }

    private void Store(PendingDump dump)
    {
        _spool.Add(dump);
        _counters.Add("dumps_spooled");
        UpdateSpoolCounters();
    }

    // ---- replays: spooled dumps with their own boot's header ----------------------------------

    private void OnSpoolAndSend(SpoolAndSend request)
    {
        var entry = _spool.Add(request.Dump);
        UpdateSpoolCounters();
        Sender.Tell(new PendingSpooled(entry.Sequence));
        QueueSpool();
    }

    private void OnTargetStateChanged(TargetStateChanged changed)
    {
        if (changed.Subsystem == "netoops" && changed.To == TargetState.Enabled) QueueSpool();
    }

    private void QueueSpool()
    {
        if (_replay is not null || _replayQueue.Count > 0) return; // a replay round is under way
        foreach (var entry in _spool.Entries) _replayQueue.Enqueue(entry);
        ReplayNext();
    }

    private void ReplayNext()
    {
        while (_replayQueue.TryDequeue(out var entry))
        {
            if (!_spool.Entries.Contains(entry)) continue; // dropped to stay in bounds meanwhile
            if (_spool.Load(entry) is not { } dump) { UpdateSpoolCounters(); continue; }

            _replay = new Replay(entry, dump, NextReplayId(), ++_tag);
            var sliced = DumpSlicer.Slice(Header(dump, _replay.DumpId), dump.Older, dump.Newer);
            _netoops.Tell(new FanOut(new Transmit(sliced.Packets, PacketLayout.DefaultRounds, TimeSpan.Zero, _replay.Tag)));
            Timers.StartSingleTimer(DeadlineTimer, new ReplayDeadlinePassed(_replay.Tag), ReplayDeadline);
            return;
        }
    }

    private void OnFanOutStarted(FanOutStarted started)
    {
        if (_replay is null || started.Tag != _replay.Tag) return;
        _replay.Roster = true;
        foreach (var target in started.Targets) _replay.Awaiting.Add(target.Target);
        _replay.Awaiting.ExceptWith(_replay.Reports.Select(r => r.Target));
        if (_replay.Awaiting.Count == 0) FinishReplay();
    }

    private void OnTransmitReport(TransmitReport report)
    {
        if (_replay is null || report.Tag != _replay.Tag) return;
        _replay.Reports.Add(report);
        _replay.Awaiting.Remove(report.Target);
        if (_replay.Roster && _replay.Awaiting.Count == 0) FinishReplay();
    }

    private void FinishReplay()
    {
        Timers.Cancel(DeadlineTimer);
        var replay = _replay!;
        _replay = null;
        var taken = replay.Reports.Any(r => r.Outcome == TransmitOutcome.Sent && r.Sent > 0);
        if (taken)
        {
            _spool.Remove(replay.Entry);
            _counters.Add("dumps_replayed");
        }
        else
        {
            _replayQueue.Clear(); // no target now: the rest waits for the next enable
        }
        UpdateSpoolCounters();

        var outcomes = replay.Reports.Where(r => r.Outcome != TransmitOutcome.NotEnabled)
            .Select(r => new TargetDelivery(r.Target, r.Outcome.ToString(), r.Sent, r.Failed)).ToList();
        Remember(new DumpSummary(replay.DumpId, replay.Dump.Cause.ToString(), replay.Dump.Origin + " (spooled)",
            DateTimeOffset.UtcNow, outcomes, !taken));
        ReplayNext();
    }

    // ---- helpers ------------------------------------------------------------------------------

    private PendingDump Pending(DumpCause cause, LogSnapshot log, ulong[]? registers, string origin)
    {
        var facts = _facts.Current;
        return new PendingDump(cause, log.Older.ToArray(), log.Newer.ToArray(), registers,
            facts.Cpu.Vendor, facts.Cpu.Family, facts.Cpu.Model, facts.Cpu.Stepping,
            facts.KernelRelease, null, null, origin, DateTimeOffset.UtcNow);
    }

    private static ulong[]? RegistersOf(Netoops.Analysis.Registers? registers)
        => registers is null ? null : registers.Named().Select(r => r.Value).ToArray();

    private static X86Registers Registers(ulong[] values)
    {
        var registers = new X86Registers();
        for (var i = 0; i < Math.Min(values.Length, X86Registers.Count); i++) registers[(X86Register)i] = values[i];
        return registers;
    }

    private static X86Cpu Cpu(PendingDump dump) => new(dump.CpuVendor, dump.CpuFamily, dump.CpuModel, dump.CpuStepping);

    private static DumpReason ReasonOf(DumpCause cause) => cause switch
    {
        DumpCause.Panic => DumpReason.Panic,
        DumpCause.Soft => DumpReason.Soft,
        DumpCause.Oom => DumpReason.Oom,
        DumpCause.Warn => DumpReason.Warn,
        _ => DumpReason.Oops,
    };

    private static DumpHeader Header(PendingDump dump, ushort dumpId)
    {
        var release = dump.KernelRelease;
        while (System.Text.Encoding.UTF8.GetByteCount(release) > PacketLayout.KernelVersionSize) release = release[..^1];
        return new DumpHeader
        {
            DumpId = dumpId,
            Type = dump.Cause == DumpCause.Soft ? DumpType.Soft : DumpType.Oops,
            BootId = dump.BootId ?? 0,
            KernelVersion = release,
            UserBlob = DumpHeader.BlobFromText(dump.UserBlob ?? ""),
            Cpu = Cpu(dump),
            Registers = dump.Registers is null ? default : Registers(dump.Registers),
        };
    }

    /// <summary>Uptime seconds &amp; 0xffff, as the kernel does, but never the previous replay's id:
    /// a collector keys dumps by it, and two replays within one second must not merge.</summary>
    private ushort NextReplayId()
    {
        var id = (ushort)(Environment.TickCount64 / 1000 & 0xffff);
        if (id == _lastReplayId) id++;
        _lastReplayId = id;
        return id;
    }

    private void Remember(DumpSummary summary)
    {
        _recent.AddFirst(summary);
        if (_recent.Count > RecentKept) _recent.RemoveLast();
        _log.Info("dumps: {0} dump {1} from {2}: {3}", summary.Cause, summary.DumpId, summary.Origin,
            summary.Refused ?? (summary.Spooled ? "no target took it, spooled"
                : string.Join(", ", summary.Targets.Select(o => $"{o.Target} {o.Outcome} {o.Sent}"))));
    }

    private void UpdateSpoolCounters()
    {
        _counters.Set("spool_dumps", _spool.Entries.Count);
        _counters.Set("spool_dropped", _spool.Dropped);
        _counters.Set("spool_unreadable", _spool.Unreadable);
    }
}
