using Akka.Actor;
using Akka.TestKit;
using Netoops.Actors.Dumps;
using Netoops.Actors.Netdev;
using Netoops.Actors.Ports;
using Netoops.Actors.Subsystems;
using Netoops.Actors.Targets;
using Netoops.Agent.Spool;
using Netoops.Chaos.Tests.Mutants;
using Netoops.Chaos.Tests.World;

namespace Netoops.Chaos.Tests.Harness;

/// <summary>
/// One schedule played against a fresh netoops subsystem and notifier (real actors, chaos ports),
/// then brought to quiescence, checked, and torn down. In deterministic mode every step runs to
/// completion on the calling thread before the next, so invariants are checked after every step;
/// in multi-threaded mode steps overlap and the exact checks are those made inside the ports.
/// A schedule with agent steps (deterministic runs only) also has the agent's dump desk and spool,
/// and its coordinator is the agent's (see <see cref="ChaosAgent"/>).
/// </summary>
internal sealed partial class ScheduleRun
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
    private readonly StepPump? _pump;
    private readonly ChaosAgent? _agent;
    private readonly DumpLedger _ledger;
    private int _marks;
    private readonly List<ReplyBox> _requests = [];
    private readonly List<ReplyBox> _parameterWrites = [];
    private readonly List<DumpRecord> _dumps = [];
    private readonly List<CoordinatedDump> _coordinated = [];
    private long _dumpTag;

    private sealed record DumpRecord(ReplyBox Box, int Datagrams, IReadOnlySet<string>? EnabledAtStart);

    /// <param name="AtStart">Each target's state when the request was made (deterministic runs only).</param>
    /// <param name="Incarnation">The agent run whose coordinator was asked (serials count per run); 0 without an agent.</param>
    private sealed record CoordinatedDump(ReplyBox Box, IReadOnlyDictionary<string, TargetState>? AtStart, int Incarnation);

    public ScheduleRun(ActorSystem system, Mutant mutant, bool deterministic, int id, bool withAgent = false)
    {
        _system = system;
        _deterministic = deterministic;
        _ledger = new DumpLedger(_violations, _trace);
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
        // The desk's answers come back through the pump, which only a deterministic run drains.
        if (withAgent && deterministic)
        {
            _pump = new StepPump();
            _agent = new ChaosAgent(system, _subsystem, () => scheduler.Now - boot, mutant, _ledger, _trace, _pump, id);
            _coordinator = _agent.Coordinator;
            return;
        }
        _coordinator = system.ActorOf(DumpCoordinator.Props(
            new DumpCoordinatorOptions(_subsystem, "6.1.0-chaos", DumpPolicy.Default, () => scheduler.Now - boot,
                Rounds: 1, ReportDeadline: TimeSpan.FromMilliseconds(500))), $"dumps-{id}");
    }

    /// <summary>The coordinator the schedule's own dumps go to: the agent's current one, if there is an agent.</summary>
    private IActorRef Coordinator => _agent?.Coordinator ?? _coordinator;

    public (IReadOnlyList<string> Violations, IReadOnlyList<string> Trace) Play(IReadOnlyList<Step> steps)
    {
        try
        {
            foreach (var step in steps)
            {
                _trace.Add($"> {step}");
                var mark = _observer.TransitionCount;
                Do(step);
                _pump?.Drain();
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
            if (_agent is not null)
            {
                _agent.Stop();
                _agent.Dispose();
            }
            else _system.Stop(_coordinator);
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
            case StepKind.Crash: _agent?.Crash((DumpCause)step.Arg); break;
            case StepKind.Pstore: _agent?.Pstore(step.Arg == 0 ? null : 41u); break;
            case StepKind.Restart: Restart(); break;
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
        // The agent's desk sends its dumps to the same coordinator; the tap knows when it is busy.
        var idle = _agent is { } agent ? agent.Coordinator.Outstanding == 0 : _coordinated.All(d => d.Box.Count > 0);
        var atStart = _deterministic && idle ? _observer.Snapshot() : null;
        var log = DumpMark.Log(_agent?.NextNumber() ?? ++_marks, kib * 1024 - 100);
        var box = Ask(Coordinator, new DumpRequested(reason, LogSnapshot.Of(log)), $"dump {reason} {kib} KiB");
        _coordinated.Add(new CoordinatedDump(box, atStart, _agent?.Incarnation ?? 0));
    }

    /// <summary>
    /// kill -9 of the agent: the dumps its coordinator still owed an answer are lost with it (the
    /// desk's spool keeps what was not sent), so they leave the one-reply check.
    /// </summary>
    private void Restart()
    {
        if (_agent is null) return;
        foreach (var lost in _coordinated.Where(d => d.Box.Count == 0 && d.Incarnation == _agent.Incarnation).ToList())
        {
            _coordinated.Remove(lost);
            _requests.Remove(lost.Box);
            _trace.Add($"  '{lost.Box.Request}' lost with the agent");
        }
        _agent.Restart();
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
            _pump?.Drain();
            var settled = _netpoll.HeldSetups == 0 && _netpoll.HeldCloses == 0 && (_agent is null || _agent.Idle) &&
                          _observer.Snapshot().Values.All(s => s is not (TargetState.SettingUp or TargetState.Cleaning)) &&
                          _requests.All(r => r.Count > 0) && _dumps.All(DumpAnswered);
            if (settled) return;
            Advance(TimeSpan.FromMilliseconds(_deterministic ? 1 : 5));
        }
    }

    private static bool DumpAnswered(DumpRecord d) =>
        d.Box.Replies.FirstOrDefault().Message is FanOutStarted started && d.Box.Count == 1 + started.Targets.Count;

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
