using Akka.Actor;
using Akka.Event;
using Netoops.Actors.Ports;

namespace Netoops.Actors.Targets;

/// <summary>
/// One netpoll target: owns its attributes, its lifecycle machine and its socket. Its mailbox is
/// the targets lock of patch 2: every read, write, link event and send is handled one at a time,
/// so nothing can change a parameter while the target sends. Setup and cleanup run as tasks whose
/// results come back as messages; the machine only moves when they do.
/// </summary>
public sealed class TargetActor : ReceiveActor, IWithTimers
{
    private readonly string _name;
    private readonly TargetOptions _options;
    private readonly ITargetLifecycle _lifecycle;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<TransmitJob> _jobs = new();
    private readonly List<IActorRef> _enableWaiters = [];
    private readonly List<IActorRef> _disableWaiters = [];
    private readonly List<IActorRef> _dropWaiters = [];

    private TargetAttributes _attributes;
    private IDatagramChannel? _channel;
    private NetDevice? _device;
    private bool _linkUp;
    private long _transmitErrors;
    private CancellationTokenSource? _setupCancel;
    private Task<SetupResult>? _setup;
    private int _jobSerial;
    private uint _messageId;

    public TargetActor(string name, TargetOptions options, TargetAttributes? initial = null)
    {
        _name = name;
        _options = options;
        _attributes = initial ?? options.Defaults;
        _lifecycle = options.Lifecycle(name);

        Receive<ReadAttribute>(OnRead);
        Receive<WriteAttribute>(OnWrite);
        Receive<GetTargetStatus>(_ => Sender.Tell(Status()));
        Receive<DropTarget>(_ => OnDrop());
        Receive<Transmit>(OnTransmit);
        Receive<StreamRecord>(OnStreamRecord);
        Receive<SendNext>(OnSendNext);
        Receive<LinkEvent>(OnLinkEvent);
        Receive<SetupFinished>(OnSetupFinished);
        Receive<CleanupFinished>(OnCleanupFinished);
    }

    public static Props Props(string name, TargetOptions options, TargetAttributes? initial = null) =>
        Akka.Actor.Props.Create(() => new TargetActor(name, options, initial));

    private const string SpacingTimer = "spacing";
    private const int MaxStalls = 2000;
    private static readonly TimeSpan StallPause = TimeSpan.FromMilliseconds(1);

    public ITimerScheduler Timers { get; set; } = null!;

    private TargetState State => _lifecycle.State;

    private void OnRead(ReadAttribute read)
    {
        var text = TargetAttributeText.Format(_attributes, Facts(), read.Attribute);
        Sender.Tell(text is null
            ? new Invalid(_name, $"no attribute '{read.Attribute}'")
            : new AttributeValue(_name, read.Attribute, text));
    }

    private void OnWrite(WriteAttribute write)
    {
        switch (TargetAttributeText.Parse(_attributes, write.Attribute, write.Text))
        {
            case RefusedWrite refused:
                Sender.Tell(new Invalid(_name, refused.Reason));
                break;
            case LiveWrite live when State != TargetState.Dropped:
                _attributes = live.Updated;
                Sender.Tell(new Accepted(_name));
                break;
            case LiveWrite:
                Sender.Tell(Refusal(_lifecycle.Fire(TargetTrigger.WriteAttribute)));
                break;
            case ParameterWrite change:
                var verdict = _lifecycle.Fire(TargetTrigger.WriteAttribute);
                if (verdict.IsPermitted) _attributes = change.Updated;
                Sender.Tell(verdict.IsPermitted ? new Accepted(_name) : Refusal(verdict));
                break;
            case EnabledWrite { Enable: true }:
                Request(TargetTrigger.Enable, _enableWaiters);
                break;
            case EnabledWrite { Enable: false }:
                Request(TargetTrigger.Disable, _disableWaiters);
                break;
        }
    }

    /// <summary>
    /// A user request that may start a transition: refused now, or answered when the state it leads
    /// to is reached (settled states answer at once).
    /// </summary>
    private void Request(TargetTrigger trigger, List<IActorRef> waiters)
    {
        var before = State;
        var verdict = _lifecycle.Fire(trigger);
        if (!verdict.IsPermitted)
        {
            Sender.Tell(Refusal(verdict));
            return;
        }
        if (IsTransitional(State)) waiters.Add(Sender);
        Moved(before, trigger);
        if (!IsTransitional(State)) Sender.Tell(new Accepted(_name));
    }

    private void OnDrop()
    {
        var before = State;
        var verdict = _lifecycle.Fire(TargetTrigger.Drop);
        if (!verdict.IsPermitted)
        {
            Sender.Tell(Refusal(verdict));
            return;
        }
        _dropWaiters.Add(Sender);
        // A setup in flight is cut short (the carrier wait is the slow part); its result still comes back.
        _setupCancel?.Cancel();
        Moved(before, TargetTrigger.Drop);
    }

    private void OnLinkEvent(LinkEvent e)
    {
        var bound = _device is not null && _device.Index == e.Index;
        switch (e)
        {
            case DeviceRenamed renamed when bound || string.Equals(_attributes.DevName, renamed.OldName, StringComparison.Ordinal):
                // NETDEV_CHANGENAME only renames dev_name: the one attribute change allowed in any state.
                if (string.Equals(_attributes.DevName, renamed.OldName, StringComparison.Ordinal))
                    _attributes = _attributes with { DevName = renamed.Name };
                if (bound) _device = _device! with { Name = renamed.Name };
                break;
            case DeviceUnregistered when bound || e.Concerns(_attributes.DevName):
                Fire(TargetTrigger.DeviceUnregistered);
                break;
            case DeviceEnslaved when bound || e.Concerns(_attributes.DevName):
                Fire(TargetTrigger.DeviceEnslaved);
                break;
            case DeviceRegistered when e.Concerns(_attributes.DevName):
                Fire(TargetTrigger.DeviceRegistered);
                break;
            case LinkStateChanged link when bound:
                _linkUp = link.Up;
                if (!link.Up) AbortJobs(TransmitOutcome.LinkDown);
                break;
        }
    }

    private void Fire(TargetTrigger trigger)
    {
        var before = State;
        if (_lifecycle.Fire(trigger).IsPermitted) Moved(before, trigger);
    }

    private void OnSetupFinished(SetupFinished finished)
    {
        _setup = null;
        _setupCancel?.Dispose();
        _setupCancel = null;
        var before = State;
        if (finished.Result is SetupSucceeded ok)
        {
            // Owned from now on, whatever the machine decides: if it goes to Cleaning, it is closed there.
            _channel = ok.Channel;
            _device = ok.Device;
            _linkUp = true; // like netpoll_setup: after the carrier wait, go on anyway
            _attributes = _attributes with { LocalIp = ok.LocalIp };
            if (_lifecycle.Fire(TargetTrigger.SetupSucceeded).IsPermitted)
            {
                Moved(before, TargetTrigger.SetupSucceeded);
                if (State == TargetState.Enabled) Answer(_enableWaiters, new Accepted(_name));
                return;
            }
            CloseOrphan(ok.Channel, "setup succeeded in a state that cannot take it");
            return;
        }
        var error = finished.Result as SetupFailed ?? new SetupFailed("setup returned nothing");
        _log.Warning("netpoll target {0}: setup failed: {1}", _name, error.Error);
        // The writer of enabled=1 hears the setup error itself, before the state change is reported.
        Answer(_enableWaiters, error.Busy
            ? new Busy(_name, before, error.Error)
            : new Invalid(_name, $"setup failed: {error.Error}"));
        if (_lifecycle.Fire(TargetTrigger.SetupFailed).IsPermitted) Moved(before, TargetTrigger.SetupFailed);
    }

    private void OnCleanupFinished(CleanupFinished finished)
    {
        if (finished.Error is not null)
            _log.Warning("netpoll target {0}: closing the socket failed: {1}", _name, finished.Error);
        var before = State;
        if (_lifecycle.Fire(TargetTrigger.CleanupDone).IsPermitted) Moved(before, TargetTrigger.CleanupDone);
    }

    /// <summary>Everything that follows from a state change happens here, once per change.</summary>
    private void Moved(TargetState before, TargetTrigger trigger)
    {
        var now = State;
        if (now == before) return;
        var changed = new TargetStateChanged(_options.Subsystem, _name, before, now, trigger);
        Context.System.EventStream.Publish(changed);
        Context.Parent.Tell(changed);

        switch (now)
        {
            case TargetState.SettingUp:
                StartSetup();
                break;
            case TargetState.Cleaning:
                StartCleanup();
                break;
            case TargetState.Disabled:
                ForgetDevice();
                Answer(_disableWaiters, new Accepted(_name));
                Answer(_enableWaiters, new Invalid(_name, "disabled before setup finished"));
                break;
            case TargetState.Deactivated:
                ForgetDevice();
                Answer(_disableWaiters, new Accepted(_name));
                Answer(_enableWaiters, new Invalid(_name, $"device {_attributes.DevName} went away during setup"));
                break;
            case TargetState.Dropped:
                ForgetDevice();
                Answer(_enableWaiters, new Invalid(_name, "dropped"));
                Answer(_disableWaiters, new Invalid(_name, "dropped"));
                Answer(_dropWaiters, new TargetDropped(_name));
                Context.Stop(Self);
                break;
        }
    }

    private void StartSetup()
    {
        ForgetDevice(); // a restart sets up on whatever device now has the name
        var a = _attributes;
        var request = new SetupRequest(_name, a.DevName, a.LocalIp, a.LocalPort, a.RemoteIp, a.RemotePort, _options.CarrierTimeout);
        _setupCancel = new CancellationTokenSource();
        _setup = SafeSetup(_options.Netpoll, request, _setupCancel.Token);
        _setup.PipeTo(Self, success: r => new SetupFinished(r), failure: ex => new SetupFinished(new SetupFailed(ex.Message)));
    }

    /// <summary>A port that throws (even synchronously) is a failed setup, not a crashed target.</summary>
    private static async Task<SetupResult> SafeSetup(INetpoll netpoll, SetupRequest request, CancellationToken cancel)
    {
        try
        {
            return await netpoll.SetupAsync(request, cancel).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return new SetupFailed("setup cancelled");
        }
        catch (Exception ex)
        {
            return new SetupFailed(ex.Message);
        }
    }

    private void StartCleanup()
    {
        AbortJobs(TransmitOutcome.Interrupted);
        // Ownership of the socket moves to the cleanup: nothing else can reach it, so it closes once.
        var channel = _channel;
        _channel = null;
        if (channel is null)
        {
            Self.Tell(new CleanupFinished(null));
            return;
        }
        SafeClose(channel).PipeTo(Self, success: () => new CleanupFinished(null), failure: ex => new CleanupFinished(ex.Message));
    }

    private static async Task SafeClose(IDatagramChannel channel) => await channel.CloseAsync().ConfigureAwait(false);

    private void CloseOrphan(IDatagramChannel channel, string why)
    {
        _log.Warning("netpoll target {0}: closing a socket nobody owns ({1})", _name, why);
        if (ReferenceEquals(channel, _channel)) _channel = null;
        SafeClose(channel).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private void ForgetDevice()
    {
        _device = null;
        _linkUp = false;
    }

    private void OnTransmit(Transmit transmit)
    {
        if (State != TargetState.Enabled || _channel is null)
        {
            Sender.Tell(new TransmitReport(_name, transmit.Tag, TransmitOutcome.NotEnabled, 0, 0, State));
            return;
        }
        if (!_linkUp)
        {
            Sender.Tell(new TransmitReport(_name, transmit.Tag, TransmitOutcome.LinkDown, 0, 0, State));
            return;
        }
        var job = new TransmitJob(++_jobSerial, transmit, Sender);
        _jobs.Enqueue(job);
        if (_jobs.Count == 1) Self.Tell(new SendNext(job.Serial));
    }

    /// <summary>
    /// Sends the next burst of the oldest job. Each burst is one mailbox turn, so a disable, a link
    /// event or a drop is handled between bursts and stops the job before the next datagram.
    /// </summary>
    private void OnSendNext(SendNext next)
    {
        if (!_jobs.TryPeek(out var job) || job.Serial != next.Serial) return; // aborted meanwhile
        if (State != TargetState.Enabled || _channel is null || !_linkUp)
        {
            AbortJobs(_linkUp ? TransmitOutcome.Interrupted : TransmitOutcome.LinkDown);
            return;
        }
        var spaced = job.Request.Spacing > TimeSpan.Zero;
        var burst = spaced ? 1 : Math.Max(1, _options.BurstSize);
        for (var i = 0; i < burst && !job.Done; i++)
        {
            var result = SendOne(_channel, job.Request.Packets[job.Next % job.Request.Packets.Count].Span);
            if (result.WouldBlock && job.Stalls++ < MaxStalls)
            {
                // The socket buffer is full (a slow NIC): come back when it has drained, like
                // netpoll polling the device, instead of losing the packet.
                Timers.StartSingleTimer(SpacingTimer, next, StallPause);
                return;
            }
            job.Record(result);
            if (!result.Ok) _transmitErrors++;
        }
        if (job.Done)
        {
            _jobs.Dequeue();
            job.ReplyTo.Tell(new TransmitReport(_name, job.Request.Tag, TransmitOutcome.Sent, job.Sent, job.Failed, State));
            if (_jobs.TryPeek(out var following)) Self.Tell(new SendNext(following.Serial));
            return;
        }
        if (spaced) Timers.StartSingleTimer(SpacingTimer, next, job.Request.Spacing);
        else Self.Tell(next);
    }

    /// <summary>netconsole's write_msg / write_ext_msg for this target, in its own mailbox turn.</summary>
    private void OnStreamRecord(StreamRecord stream)
    {
        if (State != TargetState.Enabled || _channel is null || !_linkUp) return;
        IReadOnlyList<ReadOnlyMemory<byte>> datagrams;
        try
        {
            datagrams = NetconsoleFormat.Datagrams(stream.Record, _attributes, stream.Release, ref _messageId);
        }
        catch (ArgumentException ex)
        {
            _log.Warning("netpoll target {0}: record {1} cannot be formatted: {2}", _name, stream.Record.Sequence, ex.Message);
            _transmitErrors++;
            return;
        }
        foreach (var datagram in datagrams)
            if (!SendOne(_channel, datagram.Span).Ok) _transmitErrors++;
    }

    /// <summary>A transport that throws is a failed send, counted in transmit_errors, never a crash.</summary>
    private static SendResult SendOne(IDatagramChannel channel, ReadOnlySpan<byte> datagram)
    {
        try
        {
            return channel.Send(datagram);
        }
        catch (Exception ex)
        {
            return SendResult.Failed(ex.Message);
        }
    }

    private void AbortJobs(TransmitOutcome outcome)
    {
        while (_jobs.TryDequeue(out var job))
            job.ReplyTo.Tell(new TransmitReport(_name, job.Request.Tag, outcome, job.Sent, job.Failed, State));
    }

    private void Answer(List<IActorRef> waiters, ITargetReply reply)
    {
        foreach (var waiter in waiters) waiter.Tell(reply);
        waiters.Clear();
    }

    private ITargetReply Refusal(LifecycleVerdict verdict) => verdict switch
    {
        BusyVerdict busy => new Busy(_name, busy.State, busy.Message),
        InvalidVerdict invalid => new Invalid(_name, invalid.Message),
        _ => new Invalid(_name, "refused"),
    };

    private static bool IsTransitional(TargetState state) => state is TargetState.SettingUp or TargetState.Cleaning;

    private TargetFacts Facts() => new(State == TargetState.Enabled, _device?.Mac, _transmitErrors);

    private TargetStatus Status() => new(_options.Subsystem, _name, State, _attributes, _device, _linkUp, _transmitErrors);

    protected override void PostStop()
    {
        // Stopped from outside (system shutdown, parent stopping): release what is still owned.
        AbortJobs(TransmitOutcome.Interrupted);
        _setupCancel?.Cancel();
        if (_channel is not null) CloseOrphan(_channel, "target stopped");
        _setup?.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully && t.Result is SetupSucceeded late) _ = late.Channel.CloseAsync();
        }, TaskScheduler.Default);
        base.PostStop();
    }

    private sealed record SetupFinished(SetupResult Result);

    private sealed record CleanupFinished(string? Error);

    private sealed record SendNext(int Serial);

    private sealed class TransmitJob(int serial, Transmit request, IActorRef replyTo)
    {
        public int Serial { get; } = serial;
        public Transmit Request { get; } = request;
        public IActorRef ReplyTo { get; } = replyTo;
        public int Next { get; private set; }
        public int Sent { get; private set; }
        public int Failed { get; private set; }
        /// <summary>How often the socket was full; past a bound the datagram counts as failed, so a stuck device cannot hold a dump forever.</summary>
        public int Stalls { get; set; }
        public bool Done => Request.Packets.Count == 0 || Next >= Request.Packets.Count * Math.Max(0, Request.Rounds);

        public void Record(SendResult result)
        {
            Next++;
            if (result.Ok) Sent++;
            else Failed++;
        }
    }
}
