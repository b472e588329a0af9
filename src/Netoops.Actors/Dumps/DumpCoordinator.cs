using Akka.Actor;
using Akka.Event;
using Netoops.Actors.Ports;
using Netoops.Actors.Subsystems;
using Netoops.Actors.Targets;
using Netoops.Protocol.Packets;

namespace Netoops.Actors.Dumps;

/// <summary>
/// drivers/net/netoops.c as an actor: one dump at a time, in arrival order. For each request:
/// policy and rate limit (not for a replay), a dump_id from the one allocator, the packets sliced once, one <see cref="Transmit"/> to every
/// netoops target (each decides, in its own mailbox, whether it is Enabled at that moment), the
/// answers gathered against a deadline, and exactly one <see cref="DumpReport"/>.
/// </summary>
public sealed class DumpCoordinator : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    private const string DeadlineTimer = "deadline";
    private readonly DumpCoordinatorOptions _options;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<DumpReason, TimeSpan> _lastByReason = [];
    private long _serial;
    private IDumpIdSource _ids = null!;
    private Dump? _current;

    public DumpCoordinator(DumpCoordinatorOptions options)
    {
        _options = options;
        Idle();
    }

    public IStash Stash { get; set; } = null!;
    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(DumpCoordinatorOptions options) => Akka.Actor.Props.Create(() => new DumpCoordinator(options));

    /// <summary>Reads the reservations once per incarnation: a small file, before any dump arrives.</summary>
    protected override void PreStart()
    {
        var store = _options.DumpIds ?? new InMemoryDumpIdStore();
        _ids = _options.IdSource?.Invoke(store) ?? new DumpIdAllocator(store);
    }

    private void Idle()
    {
        Receive<DumpRequested>(request =>
        {
            _current = new Dump(++_serial, request, Sender);
            _options.Netoops.Tell(new GetNetoopsSettings());
            Timers.StartSingleTimer(DeadlineTimer, new Deadline(_current.Serial), _options.EffectiveDeadline);
            Become(AwaitingSettings);
        });
        Receive<ReserveDumpId>(reserve =>
        {
            _current = new Dump(++_serial, null, Sender) { Reservation = reserve };
            _options.Netoops.Tell(new GetNetoopsSettings());
            Timers.StartSingleTimer(DeadlineTimer, new Deadline(_current.Serial), _options.EffectiveDeadline);
            Become(AwaitingSettings);
        });
        IgnoreLateAnswers();
    }

    private void AwaitingSettings()
    {
        Receive<DumpRequested>(_ => Stash.Stash());
        Receive<ReserveDumpId>(_ => Stash.Stash());
        Receive<NetoopsSettings>(settings =>
        {
            if (_current!.Reservation is { } reserve) Reserve(reserve, settings);
            else Start(settings);
        });
        Receive<Deadline>(d => d.Serial == _current!.Serial, _ =>
        {
            if (_current!.Reservation is not null)
                EndReservation(new Status.Failure(new TimeoutException("the netoops subsystem did not answer")));
            else Finish(refused: "the netoops subsystem did not answer", final: false);
        });
        IgnoreLateAnswers();
    }

    /// <summary>An id only, no packet: the caller records it before anything is sent under it.</summary>
    private void Reserve(ReserveDumpId reserve, NetoopsSettings settings)
    {
        var bootId = reserve.BootId ?? settings.BootId;
        var id = NextId(bootId, _options.Uptime());
        EndReservation(new DumpIdReserved(bootId, id));
    }

    private void EndReservation(object answer)
    {
        Timers.Cancel(DeadlineTimer);
        _current!.ReplyTo.Tell(answer);
        _current = null;
        Become(Idle);
        Stash.UnstashAll();
    }

    private ushort NextId(uint bootId, TimeSpan now)
    {
        var id = _ids.Next(bootId, now, out var saveError);
        if (saveError is not null)
            _log.Warning("dump ids: cannot remember the reservation ({0}); a restarted agent may reuse ids of boot {1}",
                saveError.Message, bootId);
        return id;
    }

    private void Start(NetoopsSettings settings)
    {
        var dump = _current!;
        var request = dump.Request!;
        var now = _options.Uptime();
        var replay = request.Replay;
        var refusal = replay is not null ? null : _options.Policy.Refusal(request.Reason, settings.RecordOom, now,
            _lastByReason.TryGetValue(request.Reason, out var last) ? last : null);
        if (refusal is not null)
        {
            Finish(refused: refusal, final: true);
            return;
        }
        var header = new DumpHeader
        {
            Type = request.Reason == DumpReason.Soft ? DumpType.Soft : DumpType.Oops,
            BootId = replay?.BootId ?? settings.BootId,
            KernelVersion = replay?.KernelVersion ?? _options.KernelVersion,
            UserBlob = replay?.UserBlob is { } blob ? DumpHeader.BlobFromText(blob) : settings.UserBlob,
            Cpu = request.Cpu ?? X86Cpu.Unknown,
            Registers = request.Registers ?? default,
        };
        if (header.Problem() is { } problem)
        {
            Finish(refused: "cannot encode the dump: " + problem, final: true);
            return;
        }
        // Only a header that will go out takes an id; the id is counted against the boot it names.
        // A replay that carries the id it was first given keeps it: the allocator handed it out
        // already (reserved or live), and a second id would make the collector store it twice.
        header = header with { DumpId = replay?.DumpId ?? NextId(header.BootId, now) };
        var sliced = DumpSlicer.Slice(header, request.Log.Older.Span, request.Log.Newer.Span, _options.FleetKey);
        if (replay is null) _lastByReason[request.Reason] = now; // a replay is no evidence of a crash loop now
        dump.Header = header;
        dump.PacketCount = sliced.Packets.Count;
        _options.Netoops.Tell(new FanOut(new Transmit(sliced.Packets, _options.Rounds, _options.Spacing, dump.Serial)));
        Become(Gathering);
    }

    private void Gathering()
    {
        Receive<DumpRequested>(_ => Stash.Stash());
        Receive<ReserveDumpId>(_ => Stash.Stash());
        Receive<FanOutStarted>(started => started.Tag == _current!.Serial, started =>
        {
            foreach (var target in started.Targets)
            {
                _current!.Asked[target.Target] = target.Actor;
                Context.Watch(target.Actor);
            }
            _current!.Roster = true;
            FinishWhenComplete();
        });
        Receive<TransmitReport>(r => r.Tag == _current!.Serial, report =>
        {
            _current!.Results.TryAdd(report.Target, Classify(report));
            FinishWhenComplete();
        });
        Receive<Terminated>(terminated =>
        {
            foreach (var (name, actor) in _current!.Asked)
                if (actor.Equals(terminated.ActorRef))
                    _current.Results.TryAdd(name, new DumpTargetResult(name, DumpTargetOutcome.Dropped, 0, 0));
            FinishWhenComplete();
        });
        Receive<Deadline>(d => d.Serial == _current!.Serial, _ =>
        {
            foreach (var name in _current!.Asked.Keys)
                _current.Results.TryAdd(name, new DumpTargetResult(name, DumpTargetOutcome.TimedOut, 0, 0));
            Finish(refused: _current.Roster ? null : "the netoops subsystem did not start the fan-out", final: false);
        });
        IgnoreLateAnswers();
    }

    /// <summary>
    /// A target that was not Enabled when the dump reached it is left out of the report, except one
    /// in a transition: it was asked to be there and could not, which the report calls busy.
    /// </summary>
    private static DumpTargetResult? Classify(TransmitReport r) => r.Outcome switch
    {
        TransmitOutcome.NotEnabled when r.State is TargetState.SettingUp or TargetState.Cleaning =>
            new DumpTargetResult(r.Target, DumpTargetOutcome.Busy, 0, 0),
        TransmitOutcome.NotEnabled => null,
        TransmitOutcome.Sent when r.Sent == 0 && r.Failed > 0 => new DumpTargetResult(r.Target, DumpTargetOutcome.Failed, r.Sent, r.Failed),
        TransmitOutcome.Sent => new DumpTargetResult(r.Target, DumpTargetOutcome.Sent, r.Sent, r.Failed),
        TransmitOutcome.LinkDown => new DumpTargetResult(r.Target, DumpTargetOutcome.LinkDown, r.Sent, r.Failed),
        _ => new DumpTargetResult(r.Target, DumpTargetOutcome.Interrupted, r.Sent, r.Failed),
    };

    private void FinishWhenComplete()
    {
        var dump = _current!;
        if (dump.Roster && dump.Asked.Keys.All(dump.Results.ContainsKey)) Finish(refused: null, final: false);
    }

    private void Finish(string? refused, bool final)
    {
        var dump = _current!;
        Timers.Cancel(DeadlineTimer);
        foreach (var actor in dump.Asked.Values) Context.Unwatch(actor);
        var targets = dump.Results.Values.OfType<DumpTargetResult>().OrderBy(t => t.Target, StringComparer.Ordinal).ToList();
        var report = new DumpReport(dump.Serial, dump.Request!.Reason, dump.Header?.DumpId, dump.PacketCount, refused, targets)
        {
            Final = final,
            Header = dump.Header,
        };
        if (refused is not null) _log.Info("dump {0} ({1}) not sent: {2}", dump.Serial, dump.Request.Reason, refused);
        dump.ReplyTo.Tell(report);
        Context.System.EventStream.Publish(report);
        _current = null;
        Become(Idle);
        Stash.UnstashAll();
    }

    /// <summary>Answers for a finished dump (after its deadline) carry its old serial and are dropped here.</summary>
    private void IgnoreLateAnswers()
    {
        Receive<TransmitReport>(_ => { });
        Receive<FanOutStarted>(_ => { });
        Receive<NetoopsSettings>(_ => { });
        Receive<Terminated>(_ => { });
        Receive<Deadline>(_ => { });
    }

    private sealed record Deadline(long Serial);

    /// <summary>A dump in progress, or (Request null) a <see cref="ReserveDumpId"/> waiting for the settings.</summary>
    private sealed class Dump(long serial, DumpRequested? request, IActorRef replyTo)
    {
        public long Serial { get; } = serial;
        public DumpRequested? Request { get; } = request;
        public ReserveDumpId? Reservation { get; init; }
        public IActorRef ReplyTo { get; } = replyTo;
        public DumpHeader? Header { get; set; }
        public int PacketCount { get; set; }
        public bool Roster { get; set; }
        public Dictionary<string, IActorRef> Asked { get; } = new(StringComparer.Ordinal);
        /// <summary>Null value: answered, but not part of the report (was not Enabled).</summary>
        public Dictionary<string, DumpTargetResult?> Results { get; } = new(StringComparer.Ordinal);
    }
}
