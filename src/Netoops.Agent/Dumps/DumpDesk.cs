using Akka.Actor;
using Akka.Event;
using Netoops.Actors.Subsystems;
using Netoops.Actors.Targets;
using Netoops.Agent.Hosting;
using Netoops.Agent.Kmsg;
using Netoops.Agent.Log;
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
/// /user/dumps: every dump of the agent goes through here, one at a time and in arrival order.
/// A crash report, a soft-dump request or a spooled dump becomes one netoops dump: packets are
/// sliced once and handed to every netoops target (the subsystem fans out; each target answers
/// with a <see cref="TransmitReport"/>); a dump that no target took is spooled, and the spool is
/// replayed when a netoops target becomes Enabled. This actor alone touches the spool directory.
/// </summary>
public sealed class DumpDesk : ReceiveActor, IWithTimers
{
    /// <summary>How long targets get to report; a target that says nothing by then counts as failed.</summary>
    public static readonly TimeSpan ReportDeadline = TimeSpan.FromSeconds(5);
    private const int RecentKept = 16;

    private sealed record Work(PendingDump Dump, IActorRef? ReplyTo, SpoolEntry? FromSpool);
    private sealed record SettingsForDump(NetoopsSettings Settings);
    private sealed record Deadline(long Tag);
    private sealed record ResendSpool
    {
        public static readonly ResendSpool Instance = new();
    }

    private readonly IActorRef _netoops;
    private readonly DumpSpool _spool;
    private readonly MachineFactsProvider _facts;
    private readonly AgentCounters _counters;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<Work> _queue = new();
    private readonly HashSet<long> _spoolQueued = [];
    private readonly LinkedList<DumpSummary> _recent = new();

    private Work? _current;
    private long _tag;
    private ushort? _dumpId;
    private ushort? _previousDumpId;
    private bool _fanOutStarted;
    private HashSet<string> _awaiting = [];
    private List<TransmitReport> _reports = [];

    public DumpDesk(IActorRef netoops, DumpSpool spool, MachineFactsProvider facts, AgentCounters counters)
    {
        _netoops = netoops;
        _spool = spool;
        _facts = facts;
        _counters = counters;

        Receive<CrashDetected>(OnCrash);
        Receive<SoftDumpOf>(s => Enqueue(new Work(Live(DumpCause.Soft, s.Log, null, "soft"), s.ReplyTo, null)));
        Receive<SpoolAndSend>(OnSpoolAndSend);
        Receive<GetRecentDumps>(_ => Sender.Tell((IReadOnlyList<DumpSummary>)_recent.ToList()));
        Receive<TargetStateChanged>(OnTargetStateChanged);
        Receive<ResendSpool>(_ => QueueSpool());
        Receive<SettingsForDump>(OnSettings);
        Receive<FanOutStarted>(OnFanOutStarted);
        Receive<TransmitReport>(OnReport);
        Receive<Deadline>(d => { if (d.Tag == _tag && _current is not null) Finish(); });
        Receive<Status.Failure>(f => _log.Warning("dumps: a request failed: {0}", f.Cause.Message));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef netoops, DumpSpool spool, MachineFactsProvider facts, AgentCounters counters)
        => Akka.Actor.Props.Create(() => new DumpDesk(netoops, spool, facts, counters));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(TargetStateChanged));
        _counters.Set("spool_dumps", _spool.Entries.Count);
        // Dumps left by a previous run wait for a target; one may already be enabled.
        if (_spool.Entries.Count > 0) Self.Tell(ResendSpool.Instance);
    }

    private void OnCrash(CrashDetected crash)
    {
        var cause = crash.Report.Kind switch
        {
            CrashKind.Panic => DumpCause.Panic,
            CrashKind.Warn => DumpCause.Warn,
            CrashKind.Oom => DumpCause.Oom,
            _ => DumpCause.Oops,
        };
        // The kernel's netoops dumps on oops and panic only: a WARN lets the machine run on.
        if (cause == DumpCause.Warn)
        {
            _counters.Add("crash_reports_not_dumped");
            return;
        }
        Enqueue(new Work(Live(cause, crash.Log, RegistersOf(crash.Report.Registers), "kmsg"), null, null));
    }

    private void OnSpoolAndSend(SpoolAndSend request)
    {
        var entry = _spool.Add(request.Dump);
        _counters.Set("spool_dumps", _spool.Entries.Count);
        _counters.Set("spool_dropped", _spool.Dropped);
        Sender.Tell(new PendingSpooled(entry.Sequence));
        QueueSpool();
    }

    private void OnTargetStateChanged(TargetStateChanged changed)
    {
        if (changed.Subsystem == "netoops" && changed.To == TargetState.Enabled && _spool.Entries.Count > 0)
            QueueSpool();
    }

    private void QueueSpool()
    {
        foreach (var entry in _spool.Entries.ToList())
        {
            if (!_spoolQueued.Add(entry.Sequence)) continue;
            if (_spool.Load(entry) is { } dump) Enqueue(new Work(dump, null, entry));
            else _counters.Set("spool_unreadable", _spool.Unreadable);
        }
    }

    private PendingDump Live(DumpCause cause, LogSnapshot log, ulong[]? registers, string origin)
    {
        var facts = _facts.Current;
        return new PendingDump(cause, log.Older, log.Newer, registers,
            facts.Cpu.Vendor, facts.Cpu.Family, facts.Cpu.Model, facts.Cpu.Stepping,
            facts.KernelRelease, null, null, origin, DateTimeOffset.UtcNow);
    }

    private static ulong[]? RegistersOf(Registers? registers)
        => registers is null ? null : registers.Named().Select(r => r.Value).ToArray();

    private void Enqueue(Work work)
    {
        _queue.Enqueue(work);
        if (_current is null) StartNext();
    }

    private void StartNext()
    {
        if (!_queue.TryDequeue(out var work)) { _current = null; return; }
        _current = work;
        _tag++;
        _dumpId = null;
        _fanOutStarted = false;
        _reports = [];
        _awaiting = [];
        // boot_id and user_blob are the netoops subsystem's settings, read at dump time.
        _netoops.Ask<NetoopsSettings>(new GetNetoopsSettings(), ReportDeadline)
            .PipeTo(Self, success: s => new SettingsForDump(s));
        Timers.StartSingleTimer("deadline", new Deadline(_tag), ReportDeadline);
    }

    private void OnSettings(SettingsForDump message)
    {
        if (_current is null) return;
        var dump = _current.Dump with
        {
            BootId = _current.Dump.BootId ?? message.Settings.BootId,
            UserBlob = _current.Dump.UserBlob ?? System.Text.Encoding.UTF8.GetString(message.Settings.UserBlob.Span),
        };
        _current = _current with { Dump = dump };
        if (dump.Cause == DumpCause.Oom && !message.Settings.RecordOom)
        {
            _counters.Add("crash_reports_not_dumped");
            Timers.Cancel("deadline");
            _current = null;
            StartNext();
            return;
        }

        _dumpId = NextDumpId();
        var sliced = DumpSlicer.Slice(Header(dump, _dumpId.Value), dump.Older, dump.Newer);
        _netoops.Tell(new FanOut(new Transmit(sliced.Packets, PacketLayout.DefaultRounds, TimeSpan.Zero, _tag)));
    }

    private static DumpHeader Header(PendingDump dump, ushort dumpId)
    {
        var registers = new X86Registers();
        if (dump.Registers is { Length: X86Registers.Count } values)
            for (var i = 0; i < values.Length; i++) registers[(X86Register)i] = values[i];
        var release = dump.KernelRelease;
        while (System.Text.Encoding.UTF8.GetByteCount(release) > PacketLayout.KernelVersionSize) release = release[..^1];
        return new DumpHeader
        {
            DumpId = dumpId,
            Type = dump.Cause == DumpCause.Soft ? DumpType.Soft : DumpType.Oops,
            BootId = dump.BootId ?? 0,
            KernelVersion = release,
            UserBlob = DumpHeader.BlobFromText(dump.UserBlob ?? ""),
            Cpu = new X86Cpu(dump.CpuVendor, dump.CpuFamily, dump.CpuModel, dump.CpuStepping),
            Registers = registers,
        };
    }

    /// <summary>Uptime seconds &amp; 0xffff like the kernel, but never the previous dump's id: a
    /// collector keys dumps by it, and two dumps in one second must not merge.</summary>
    private ushort NextDumpId()
    {
        var id = (ushort)(Environment.TickCount64 / 1000 & 0xffff);
        if (id == _previousDumpId) id++;
        _previousDumpId = id;
        return id;
    }

    private void OnFanOutStarted(FanOutStarted started)
    {
        if (started.Tag != _tag || _current is null) return;
        _fanOutStarted = true;
        _awaiting = started.Targets.Select(t => t.Target).ToHashSet();
        _awaiting.ExceptWith(_reports.Select(r => r.Target));
        if (_awaiting.Count == 0) Finish();
    }

    private void OnReport(TransmitReport report)
    {
        if (report.Tag != _tag || _current is null) return;
        _reports.Add(report);
        _awaiting.Remove(report.Target);
        if (_fanOutStarted && _awaiting.Count == 0) Finish();
    }

    private void Finish()
    {
        Timers.Cancel("deadline");
        var work = _current!;
        var taken = _reports.Any(r => r.Outcome == TransmitOutcome.Sent && r.Sent > 0);
        var outcomes = _reports.Select(r => new DumpTargetOutcome(r.Target, r.Outcome.ToString(), r.Sent, r.Failed))
            .Concat(_awaiting.Select(t => new DumpTargetOutcome(t, "NoReport", 0, 0)))
            .ToList();

        var spooled = false;
        if (work.FromSpool is { } entry)
        {
            _spoolQueued.Remove(entry.Sequence);
            if (taken) _spool.Remove(entry);
            else DropQueuedSpool(); // no target now: the rest waits for the next enable
        }
        else if (!taken)
        {
            _spool.Add(work.Dump);
            spooled = true;
            _counters.Add("dumps_spooled");
        }
        _counters.Add(taken ? "dumps_sent" : "dumps_not_taken");
        _counters.Set("spool_dumps", _spool.Entries.Count);
        _counters.Set("spool_dropped", _spool.Dropped);

        var summary = new DumpSummary(_dumpId ?? 0, work.Dump.Cause.ToString(), work.Dump.Origin, DateTimeOffset.UtcNow, outcomes, spooled);
        _recent.AddFirst(summary);
        if (_recent.Count > RecentKept) _recent.RemoveLast();
        _log.Info("dumps: {0} dump {1} from {2}: {3}", summary.Cause, summary.DumpId, summary.Origin,
            spooled ? "no target took it, spooled" : string.Join(", ", outcomes.Select(o => $"{o.Target} {o.Outcome} {o.Sent}")));
        work.ReplyTo?.Tell(summary);

        _current = null;
        StartNext();
    }

    private void DropQueuedSpool()
    {
        var kept = _queue.Where(w => w.FromSpool is null).ToList();
        _queue.Clear();
        foreach (var w in kept) _queue.Enqueue(w);
        _spoolQueued.Clear();
    }
}
