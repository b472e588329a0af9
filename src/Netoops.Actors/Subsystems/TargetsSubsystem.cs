using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Event;
using Netoops.Actors.Ports;
using Netoops.Actors.Targets;

namespace Netoops.Actors.Subsystems;

/// <summary>
/// One configfs-like directory of targets (<c>/sys/kernel/config/netconsole</c> or <c>…/netoops</c>):
/// makes, drops and lists targets, routes attribute requests and link events to them. It never
/// touches a target's state: it only knows what targets tell it (<see cref="TargetStateChanged"/>).
/// </summary>
public sealed partial class TargetsSubsystem : ReceiveActor
{
    private readonly SubsystemOptions _options;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SortedDictionary<string, Entry> _targets = new(StringComparer.Ordinal);
    private NetoopsSettings _settings = NetoopsSettings.Default;

    public TargetsSubsystem(SubsystemOptions options)
    {
        _options = options;
        Receive<MakeTarget>(OnMake);
        Receive<DropTarget>(OnDrop);
        Receive<ListTargets>(_ => Sender.Tell(new TargetList(_options.Name,
            _targets.Select(t => new TargetSummary(t.Key, t.Value.State)).ToList())));
        Receive<ReadAttribute>(m => Route(m.Target, m));
        Receive<WriteAttribute>(m => Route(m.Target, m));
        Receive<GetTargetStatus>(m => Route(m.Target, m));
        Receive<TransmitOn>(m => Route(m.Target, m.Transmit));
        Receive<FanOut>(OnFanOut);
        Receive<LinkEvent>(OnLinkEvent);
        Receive<StreamRecord>(OnStreamRecord);
        Receive<TargetStateChanged>(OnTargetStateChanged);
        Receive<Terminated>(OnTerminated);
        Receive<ReadSetting>(OnReadSetting);
        Receive<WriteSetting>(OnWriteSetting);
        Receive<GetNetoopsSettings>(_ => Sender.Tell(_settings));
        // Answers to the subsystem's own requests (boot targets' enable, drops): worth a line, not an action.
        Receive<ITargetReply>(reply =>
        {
            if (reply is Invalid or Busy) _log.Warning("{0}: {1}", _options.Name, reply);
            else _log.Debug("{0}: {1}", _options.Name, reply);
        });
    }

    public static Props Props(SubsystemOptions options) => Akka.Actor.Props.Create(() => new TargetsSubsystem(options));

    /// <summary>Boot-parameter targets exist from the start and are enabled like the kernel does at module init.</summary>
    protected override void PreStart()
    {
        for (var i = 0; i < _options.BootTargets.Count; i++)
        {
            var name = $"cmdline{i}";
            var target = Create(name, _options.BootTargets[i]);
            target.Tell(new WriteAttribute(name, "enabled", "1"), Self);
        }
    }

    /// <summary>Every target is a child; its supervisor must not restart it with a fresh machine and a lost socket.</summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(ex =>
        {
            _log.Error(ex, "{0}: a target failed and is stopped", _options.Name);
            return Directive.Stop;
        });

    private void OnMake(MakeTarget make)
    {
        if (NameProblem(make.Target) is { } problem)
        {
            Sender.Tell(new Invalid(make.Target, problem));
            return;
        }
        if (_targets.TryGetValue(make.Target, out var existing))
        {
            Sender.Tell(existing.Dropping
                ? new Busy(make.Target, TargetState.Dropped, $"target {make.Target} is being dropped")
                : new Invalid(make.Target, $"target {make.Target} already exists"));
            return;
        }
        Create(make.Target, _options.Targets.Defaults);
        Sender.Tell(new TargetMade(make.Target));
    }

    /// <summary>
    /// rmdir: the target cancels what is in flight, cleans up and stops itself; the subsystem
    /// answers every dropper once the actor has stopped, so the name is free again by then.
    /// </summary>
    private void OnDrop(DropTarget drop)
    {
        if (!_targets.TryGetValue(drop.Target, out var entry))
        {
            Sender.Tell(new Invalid(drop.Target, $"no target {drop.Target}"));
            return;
        }
        entry.Droppers.Add(Sender);
        if (entry.Dropping) return;
        entry.Dropping = true;
        entry.Actor.Tell(drop, Self);
    }

    private void OnTerminated(Terminated terminated)
    {
        var found = _targets.FirstOrDefault(t => t.Value.Actor.Equals(terminated.ActorRef));
        if (found.Value is null) return;
        _targets.Remove(found.Key);
        foreach (var dropper in found.Value.Droppers)
            dropper.Tell(new TargetDropped(found.Key));
    }

    private void Route(string target, object message)
    {
        if (_targets.TryGetValue(target, out var entry) && !entry.Dropping)
            entry.Actor.Forward(message);
        else
            Sender.Tell(new Invalid(target, $"no target {target}"));
    }

    private void OnFanOut(FanOut fanOut)
    {
        var asked = _targets.Where(t => !t.Value.Dropping)
            .Select(t => new TargetRef(t.Key, t.Value.Actor)).ToList();
        Sender.Tell(new FanOutStarted(fanOut.Transmit.Tag, asked));
        foreach (var target in asked)
            target.Actor.Forward(fanOut.Transmit);
    }

    /// <summary>
    /// Every target hears every event and decides itself whether it is bound to that device: only
    /// the target knows its dev_name and ifindex, and each does its own cleanup in its own mailbox
    /// (patch 4's fix: the notifier never cleans up a target).
    /// </summary>
    private void OnLinkEvent(LinkEvent e)
    {
        foreach (var entry in _targets.Values.Where(v => !v.Dropping))
            entry.Actor.Tell(e, Self);
    }

    private void OnStreamRecord(StreamRecord record)
    {
        foreach (var entry in _targets.Values.Where(v => !v.Dropping))
            entry.Actor.Tell(record, Self);
    }

    private void OnTargetStateChanged(TargetStateChanged changed)
    {
        if (_targets.TryGetValue(changed.Target, out var entry))
            entry.State = changed.To;
        // Settled states are what an operator reads in the journal (and what scripts wait for).
        if (changed.To is TargetState.Enabled or TargetState.Disabled or TargetState.Deactivated)
            _log.Info("target {0}/{1} {2} ({3})", changed.Subsystem, changed.Target, changed.To, changed.Trigger);
    }

    private void OnReadSetting(ReadSetting read)
    {
        var text = _options.HasNetoopsSettings ? _settings.Format(read.Setting) : null;
        Sender.Tell(text is null
            ? new Invalid(_options.Name, $"{_options.Name} has no setting '{read.Setting}'")
            : new SettingValue(read.Setting, text));
    }

    private void OnWriteSetting(WriteSetting write)
    {
        if (!_options.HasNetoopsSettings)
        {
            Sender.Tell(new Invalid(_options.Name, $"{_options.Name} has no setting '{write.Setting}'"));
            return;
        }
        var (updated, error) = _settings.Write(write.Setting, write.Text);
        if (updated is null)
        {
            Sender.Tell(new Invalid(_options.Name, error!));
            return;
        }
        _settings = updated;
        Sender.Tell(new Accepted(_options.Name));
    }

    private IActorRef Create(string name, TargetAttributes attributes)
    {
        var actor = Context.ActorOf(TargetActor.Props(name, _options.Targets, attributes), "target-" + name);
        Context.Watch(actor);
        _targets[name] = new Entry(actor);
        return actor;
    }

    /// <summary>configfs allows almost any name; we keep to what is also a safe actor and file name.</summary>
    private static string? NameProblem(string name) =>
        TargetName().IsMatch(name) && name is not "." and not ".."
            ? null
            : $"target name '{name}' must be 1..64 characters of letters, digits, '.', '_' or '-'";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex TargetName();

    private sealed class Entry(IActorRef actor)
    {
        public IActorRef Actor { get; } = actor;
        public TargetState State { get; set; } = TargetState.Disabled;
        public bool Dropping { get; set; }
        public List<IActorRef> Droppers { get; } = [];
    }
}
