using Akka.Actor;
using Akka.TestKit;
using Netoops.Actors.Dumps;
using Netoops.Actors.Netdev;
using Netoops.Actors.Ports;
using Netoops.Actors.Subsystems;
using Netoops.Actors.Targets;
using Netoops.Chaos.Tests.Mutants;
using Netoops.Chaos.Tests.World;

namespace Netoops.Chaos.Tests.Harness;

/// <summary>
/// One schedule played against a fresh netoops subsystem and notifier (real actors, chaos ports),
/// then brought to quiescence, checked, and torn down. In deterministic mode every step runs to
/// completion on the calling thread before the next, so invariants are checked after every step;
/// in multi-threaded mode steps overlap and the exact checks are those made inside the ports.
/// </summary>
internal sealed class ScheduleRun
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly ActorSystem _system;
    private readonly bool _deterministic;
    private readonly DeviceWorld _world = new();
    private readonly Violations _violations = new();
    private readonly Trace _trace = new();
    private readonly LifecycleObserver _observer;
    private readonly ChaosNetpoll _netpoll;
    private readonly IActorRef _subsystem;
    private readonly IActorRef _notifier;
    private readonly IActorRef _coordinator;
    private readonly List<ReplyBox> _requests = [];
    private readonly List<ReplyBox> _parameterWrites = [];
    private readonly List<DumpRecord> _dumps = [];
    private readonly List<CoordinatedDump> _coordinated = [];
    private long _dumpTag;

    private sealed record DumpRecord(ReplyBox Box, int Datagrams, IReadOnlySet<string>? EnabledAtStart);

    /// <param name="AtStart">Each target's state when the request was made (deterministic runs only).</param>
    private sealed record CoordinatedDump(ReplyBox Box, IReadOnlyDictionary<string, TargetState>? AtStart);

    public ScheduleRun(ActorSystem system, Mutant mutant, bool deterministic, int id)
    {
        _system = system;
        _deterministic = deterministic;
        _observer = new LifecycleObserver(_violations, _trace);
        _netpoll = new ChaosNetpoll(_world, _observer, _violations, _trace) { StrictDeviceCheck = deterministic };
        _observer.ChannelsOf = _netpoll.ChannelsOf;
        var options = SubsystemOptions.Netoops(_netpoll);
        options = options with
        {
            Targets = options.Targets with
            {
                Lifecycle = name => _observer.Watch(name, mutant.Lifecycle(name)),
                // Small bursts so a dump spans several mailbox turns and can be cut by a disable or drop.
                BurstSize = 2,
            },
        };
        _subsystem = system.ActorOf(TargetsSubsystem.Props(options), $"netoops-{id}");
        _notifier = mutant.NotifierCleansUp
            ? system.ActorOf(CleaningNotifier.Props(_netpoll, _subsystem), $"notifier-{id}")
            : system.ActorOf(NetdevNotifier.Props(new QuietLinkSource(), [_subsystem]), $"notifier-{id}");
        // Uptime runs on the scheduler's clock from this schedule's start (virtual in deterministic
        // runs), so dump ids and the rate limit replay exactly whatever ran before on the system.
        var scheduler = system.Scheduler;
        var boot = scheduler.Now - TimeSpan.FromSeconds(100);
        _coordinator = system.ActorOf(DumpCoordinator.Props(
            new DumpCoordinatorOptions(_subsystem, "6.1.0-chaos", DumpPolicy.Default, () => scheduler.Now - boot,
                Rounds: 1, ReportDeadline: TimeSpan.FromMilliseconds(500))), $"dumps-{id}");
    }

    public (IReadOnlyList<string> Violations, IReadOnlyList<string> Trace) Play(IReadOnlyList<Step> steps)
    {
        try
        {
            foreach (var step in steps)
            {
                _trace.Add($"> {step}");
                var mark = _observer.TransitionCount;
                Do(step);
                if (_deterministic) CheckAfterStep(mark);
            }
            var settling = _observer.TransitionCount;
            Quiesce();
            if (_deterministic) CheckNoLostResume(settling);
            CheckAtQuiescence();
            DropEverything();
        }
        finally
        {
            _system.Stop(_coordinator);
            _system.Stop(_notifier);
            _system.Stop(_subsystem);
        }
        return (_violations.All, _trace.Lines);
    }

    private void Do(Step step)
    {
        switch (step.Kind)
        {
            case StepKind.Make: Ask(new MakeTarget(step.Target), $"make {step.Target}"); break;
            case StepKind.Drop: Ask(new DropTarget(step.Target), $"drop {step.Target}"); break;
            case StepKind.Enable: Ask(new WriteAttribute(step.Target, "enabled", "1\n"), $"enable {step.Target}"); break;
            case StepKind.Disable: Ask(new WriteAttribute(step.Target, "enabled", "0\n"), $"disable {step.Target}"); break;
            case StepKind.WriteParameter:
                _parameterWrites.Add(Ask(new WriteAttribute(step.Target, step.Attribute, step.Text), step.ToString()));
                break;
            case StepKind.WriteUserdata: Ask(new WriteAttribute(step.Target, step.Attribute, step.Text), step.ToString()); break;
            case StepKind.Unregister: Link(_world.Unregister(step.Arg)); break;
            case StepKind.Register: Register(step.Arg); break;
            case StepKind.Rename: Link(_world.Rename(step.Arg, step.Text)); break;
            case StepKind.Enslave: Link(_world.Enslave(step.Arg)); break;
            case StepKind.Release: Link(_world.Release(step.Arg)); break;
            case StepKind.LinkDown: Link(_world.SetUp(step.Arg, false)); break;
            case StepKind.LinkUp: Link(_world.SetUp(step.Arg, true)); break;
            case StepKind.FanOut: FanOut(step.Arg, step.Text == "spaced"); break;
            case StepKind.Dump: Dump(Enum.Parse<DumpReason>(step.Text), step.Arg); break;
            case StepKind.AdvanceClock: Advance(TimeSpan.FromMilliseconds(step.Arg)); break;
            case StepKind.SetupFaults: _netpoll.SetupMode = (SetupMode)step.Arg; break;
            case StepKind.CloseFaults: _netpoll.CloseMode = (CloseMode)step.Arg; break;
            case StepKind.SendFaults: _netpoll.SendMode = (SendMode)step.Arg; break;
            case StepKind.ReleaseSetup: _netpoll.ReleaseSetup(step.Arg); break;
            case StepKind.ReleaseClose: _netpoll.ReleaseClose(step.Arg); break;
        }
    }

    private ReplyBox Ask(object request, string description) => Ask(_subsystem, request, description);

    private ReplyBox Ask(IActorRef to, object request, string description)
    {
        var provider = ((ExtendedActorSystem)_system).Provider;
        var box = new ReplyBox(provider.TempPath(), provider, _observer, _trace, description);
        _requests.Add(box);
        to.Tell(request, box);
        return box;
    }

    private void Link(LinkEvent? e)
    {
        if (e is null) return;
        _trace.Add($"  event {e}");
        _notifier.Tell(e);
    }

    /// <summary>I7: a device that registers resumes exactly the Deactivated targets it concerns, and no other.</summary>
    private void Register(int slot)
    {
        var before = _deterministic ? Statuses() : [];
        var mark = _observer.TransitionCount;
        var e = _world.Register(slot);
        Link(e);
        if (!_deterministic || e is null) return;
        var expected = before.Where(s => s.State == TargetState.Deactivated && e.Concerns(s.Attributes.DevName))
            .Select(s => s.Target).ToHashSet();
        var resumed = _observer.TransitionsSince(mark)
            .Where(t => t.From == TargetState.Deactivated && t.Trigger == TargetTrigger.DeviceRegistered)
            .Select(t => t.Target).ToHashSet();
        if (!expected.SetEquals(resumed))
            _violations.Add(Invariant.ExactResume,
                $"{e.Name} registered: expected to resume [{string.Join(",", expected.Order())}], resumed [{string.Join(",", resumed.Order())}]");
    }

    /// <summary>A crash dump through the real coordinator: policy, rate limit, slicing, fan-out, one report.</summary>
    private void Dump(DumpReason reason, int kib)
    {
        // The coordinator takes one dump at a time: a dump asked for while another is still out
        // starts later, at a moment the harness cannot see, so only an idle coordinator's start is known.
        var idle = _coordinated.All(d => d.Box.Count > 0);
        var atStart = _deterministic && idle ? _observer.Snapshot() : null;
        var log = new byte[kib * 1024 - 100];
        Array.Fill(log, (byte)'x');
        var box = Ask(_coordinator, new DumpRequested(reason, LogSnapshot.Of(log)), $"dump {reason} {kib} KiB");
        _coordinated.Add(new CoordinatedDump(box, atStart));
    }

    private void FanOut(int packets, bool spaced)
    {
        var enabled = _deterministic
            ? _observer.Snapshot().Where(s => s.Value == TargetState.Enabled).Select(s => s.Key).ToHashSet()
            : null;
        var datagrams = Enumerable.Range(0, packets).Select(i => (ReadOnlyMemory<byte>)new[] { (byte)i }).ToArray();
        var transmit = new Transmit(datagrams, 1, spaced ? TimeSpan.FromMilliseconds(1) : TimeSpan.Zero, ++_dumpTag);
        _dumps.Add(new DumpRecord(Ask(new FanOut(transmit), $"fan-out {_dumpTag}"), packets, enabled));
    }

    private void Advance(TimeSpan by)
    {
        if (_system.Scheduler is TestScheduler virtualClock) virtualClock.Advance(by);
        else Thread.Sleep(by);
    }

    /// <summary>Lets every held setup and close finish and every timer fire, until nothing is in flight.</summary>
    private void Quiesce()
    {
        _netpoll.SetupMode = SetupMode.Instant;
        _netpoll.CloseMode = CloseMode.Instant;
        _netpoll.SendMode = SendMode.Ok;
        // Virtual time moves one spacing at a time (a timer set while the clock advances is due
        // after it); a deterministic schedule that has not settled after this many ticks never will.
        var deadline = DateTime.UtcNow + Bound;
        for (var tick = 0; tick < 1000 && DateTime.UtcNow < deadline; tick++)
        {
            while (_netpoll.ReleaseSetup(0) || _netpoll.ReleaseClose(0)) { }
            var settled = _netpoll.HeldSetups == 0 && _netpoll.HeldCloses == 0 &&
                          _observer.Snapshot().Values.All(s => s is not (TargetState.SettingUp or TargetState.Cleaning)) &&
                          _requests.All(r => r.Count > 0) && _dumps.All(DumpAnswered);
            if (settled) return;
            Advance(TimeSpan.FromMilliseconds(_deterministic ? 1 : 5));
        }
    }

    private static bool DumpAnswered(DumpRecord d) =>
        d.Box.Replies.FirstOrDefault().Message is FanOutStarted started && d.Box.Count == 1 + started.Targets.Count;

    /// <summary>
    /// I7, the other half: a target that becomes Deactivated during this step must not have a
    /// device that concerns it registered already. If the device came back while the target was
    /// still setting up or cleaning (so the register event found it mid-transition), nothing would
    /// ever resume it.
    /// </summary>
    private void CheckNoLostResume(int mark)
    {
        var deactivated = _observer.TransitionsSince(mark).Where(t => t.To == TargetState.Deactivated).Select(t => t.Target).ToHashSet();
        if (deactivated.Count == 0) return;
        foreach (var status in Statuses().Where(s => s.State == TargetState.Deactivated && deactivated.Contains(s.Target)))
        {
            var back = _world.Devices.FirstOrDefault(d => d.Registered && d.ReturnedUnderItsName &&
                new DeviceRegistered(d.Index, d.Name, d.Mac).Concerns(status.Attributes.DevName));
            if (back is not null)
                _violations.Add(Invariant.ExactResume,
                    $"target {status.Target} became Deactivated although {back.Name} (index {back.Index}) had registered again: it will never resume");
        }
    }

    private void CheckAfterStep(int mark)
    {
        CheckNoLostResume(mark);
        foreach (var status in Statuses())
        {
            if (status.State == TargetState.Enabled && status.Device is { } device && _world.IsDead(device.Index))
                _violations.Add(Invariant.SendsOnlyWhileEnabled, $"target {status.Target} is Enabled on unregistered device {device.Index}");
            foreach (var open in _netpoll.ChannelsOf(status.Target).Where(c => c.CloseCalls == 0))
            {
                var a = status.Attributes;
                if (a.RemotePort != open.Opened.RemotePort || a.LocalPort != open.Opened.LocalPort || !a.RemoteIp.Equals(open.Opened.RemoteIp))
                    _violations.Add(Invariant.AttributesFrozen,
                        $"target {status.Target} now has {a.RemoteIp}:{a.RemotePort} but its open socket #{open.Id} was set up for {open.Opened.RemoteIp}:{open.Opened.RemotePort}");
            }
        }
    }

    private void CheckAtQuiescence()
    {
        foreach (var request in _requests.Where(r => !_dumps.Any(d => d.Box == r)))
        {
            if (request.Count != 1)
                _violations.Add(Invariant.OneReply, $"'{request.Request}' got {request.Count} replies: {string.Join(", ", request.Replies.Select(r => r.Message))}");
        }
        foreach (var write in _parameterWrites)
        {
            foreach (var (message, state) in write.Replies)
            {
                if (message is Accepted && state is not (TargetState.Disabled or TargetState.Deactivated))
                    _violations.Add(Invariant.AttributesFrozen, $"'{write.Request}' was accepted while the target was {state}");
            }
        }
        foreach (var dump in _dumps) CheckDump(dump);
        foreach (var dump in _coordinated) CheckCoordinatedDump(dump);
        var serials = _coordinated.Select(d => d.Box.Replies.FirstOrDefault().Message).OfType<DumpReport>().Select(r => r.Serial).ToList();
        if (!serials.SequenceEqual(serials.Order()))
            _violations.Add(Invariant.DumpCoverage, $"dumps were reported out of arrival order: serials {string.Join(",", serials)}");
        foreach (var status in Statuses()) CheckFinalState(status);
    }

    /// <summary>I6: one report per target asked, and the ones that tried to send are exactly those Enabled at the start.</summary>
    private void CheckDump(DumpRecord dump)
    {
        var replies = dump.Box.Replies.Select(r => r.Message).ToList();
        if (replies.FirstOrDefault() is not FanOutStarted started)
        {
            _violations.Add(Invariant.OneReply, $"'{dump.Box.Request}' was never started");
            return;
        }
        var reports = replies.Skip(1).OfType<TransmitReport>().ToList();
        foreach (var asked in started.Targets)
        {
            var mine = reports.Where(r => r.Target == asked.Target).ToList();
            if (mine.Count != 1)
            {
                _violations.Add(Invariant.DumpCoverage, $"'{dump.Box.Request}': target {asked.Target} gave {mine.Count} reports");
                continue;
            }
            var report = mine[0];
            if (report.Outcome == TransmitOutcome.Sent && report.Sent + report.Failed != dump.Datagrams)
                _violations.Add(Invariant.DumpCoverage, $"'{dump.Box.Request}': target {asked.Target} reported Sent with {report.Sent}+{report.Failed} of {dump.Datagrams}");
            if (dump.EnabledAtStart is { } enabled && enabled.Contains(asked.Target) == (report.Outcome == TransmitOutcome.NotEnabled))
                _violations.Add(Invariant.DumpCoverage,
                    $"'{dump.Box.Request}': target {asked.Target} was {(enabled.Contains(asked.Target) ? "" : "not ")}Enabled at the start but reported {report.Outcome}");
        }
        if (reports.Count != started.Targets.Count)
            _violations.Add(Invariant.DumpCoverage, $"'{dump.Box.Request}': {reports.Count} reports for {started.Targets.Count} targets");
    }

    /// <summary>
    /// I6 through the coordinator: exactly one report (checked with every reply); a dump that went
    /// out names exactly the targets Enabled at its start (plus, as busy, some that were
    /// mid-transition), and each that sent, sent every packet.
    /// </summary>
    private void CheckCoordinatedDump(CoordinatedDump dump)
    {
        if (dump.Box.Replies.FirstOrDefault().Message is not DumpReport report) return;
        if (report.Refused is not null)
        {
            if (report.Targets.Count > 0)
                _violations.Add(Invariant.DumpCoverage, $"'{dump.Box.Request}' was refused ({report.Refused}) yet names {report.Targets.Count} targets");
            return;
        }
        foreach (var t in report.Targets.Where(t => t.Outcome == DumpTargetOutcome.Sent && t.Sent + t.Failed != report.PacketCount))
            _violations.Add(Invariant.DumpCoverage, $"'{dump.Box.Request}': {t.Target} sent {t.Sent}+{t.Failed} of {report.PacketCount} packets");
        if (dump.AtStart is not { } atStart) return;
        string Names(IEnumerable<string> names) => "[" + string.Join(",", names.Order(StringComparer.Ordinal)) + "]";
        var expected = atStart.Where(s => s.Value == TargetState.Enabled).Select(s => s.Key).ToHashSet();
        var covered = report.Targets.Where(t => t.Outcome != DumpTargetOutcome.Busy).Select(t => t.Target).ToHashSet();
        if (!expected.SetEquals(covered))
            _violations.Add(Invariant.DumpCoverage, $"'{dump.Box.Request}' covered {Names(covered)} but {Names(expected)} were Enabled at its start");
        var busy = atStart.Where(s => s.Value is TargetState.SettingUp or TargetState.Cleaning).Select(s => s.Key).ToHashSet();
        var reportedBusy = report.Targets.Where(t => t.Outcome == DumpTargetOutcome.Busy).Select(t => t.Target).ToHashSet();
        // A target being dropped is not asked at all, so "busy" may name fewer than were mid-transition.
        if (!reportedBusy.IsSubsetOf(busy))
            _violations.Add(Invariant.DumpCoverage, $"'{dump.Box.Request}' called {Names(reportedBusy)} busy but only {Names(busy)} were mid-transition");
    }

    /// <summary>I5's reference model of where a settled target must be, given the devices as they are now.</summary>
    private void CheckFinalState(TargetStatus status)
    {
        switch (status.State)
        {
            case TargetState.SettingUp or TargetState.Cleaning:
                _violations.Add(Invariant.LegalLifecycle, $"target {status.Target} is stuck in {status.State} with nothing in flight");
                break;
            case TargetState.Enabled when status.Device is not { } device:
                _violations.Add(Invariant.LegalLifecycle, $"target {status.Target} is Enabled without a device");
                break;
            case TargetState.Enabled:
                var alive = _world.Devices.FirstOrDefault(d => d.Registered && d.Index == status.Device!.Index);
                if (alive is null || alive.Master is not null)
                    _violations.Add(Invariant.LegalLifecycle, $"target {status.Target} is Enabled on device {status.Device!.Index}, which is {(alive is null ? "unregistered" : "a bond slave")}");
                break;
        }
    }

    private void DropEverything()
    {
        var drops = Statuses().Select(s => Ask(new DropTarget(s.Target), $"final drop {s.Target}")).ToList();
        foreach (var drop in drops)
        {
            Await(drop);
            if (drop.Count != 1 || drop.Replies[0].Message is not TargetDropped)
                _violations.Add(Invariant.OneReply, $"'{drop.Request}' answered {string.Join(", ", drop.Replies.Select(r => r.Message))}");
        }
        foreach (var channel in _netpoll.Channels)
        {
            if (channel.CloseCalls != 1 || !channel.CloseCompleted)
                _violations.Add(Invariant.SocketClosedOnce,
                    $"after every target was dropped, socket #{channel.Id} of {channel.Target} was closed {channel.CloseCalls} times{(channel.CloseCompleted ? "" : ", never completed")}");
        }
    }

    private List<TargetStatus> Statuses()
    {
        var list = Ask(new ListTargets(), "list");
        _requests.Remove(list);
        Await(list);
        if (list.Replies.FirstOrDefault().Message is not TargetList targets) return [];
        var statuses = new List<TargetStatus>();
        foreach (var summary in targets.Targets)
        {
            var box = Ask(new GetTargetStatus(summary.Target), "status");
            _requests.Remove(box);
            Await(box);
            if (box.Replies.FirstOrDefault().Message is TargetStatus status) statuses.Add(status);
        }
        return statuses;
    }

    private void Await(ReplyBox box)
    {
        if (!_deterministic) box.Answered.Wait(Bound);
    }
}
