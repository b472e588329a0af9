using Stateless;
using Stateless.Graph;

namespace Netoops.Actors.Targets;

/// <summary>
/// The netpoll target lifecycle of patches 1–4 plus mainline's DEACTIVATED, as a Stateless machine.
/// The state only changes by firing a trigger; a trigger the state does not permit is refused
/// with <see cref="BusyVerdict"/> or <see cref="InvalidVerdict"/>, never an exception.
/// </summary>
/// <remarks>
/// A transitional state can be asked to end somewhere else than planned: the device can vanish or
/// the user can drop the target while setup or cleanup runs. Those requests are remembered as the
/// <see cref="Outcome"/> the transition must end in (the strongest wins), and the completion
/// trigger picks its destination by that outcome. This is how an unregister seen during setup can
/// never leave the target Enabled on a dead device.
/// </remarks>
public sealed class TargetLifecycle : ITargetLifecycle
{
    /// <summary>
    /// Where a running transition has been asked to end, strongest last. Restart: the device went
    /// away and came back meanwhile, so whatever was set up is bound to a dead ifindex; clean it
    /// and set up again on the new device.
    /// </summary>
    public enum Outcome { None, Restart, Disable, Deactivate, Drop }

    private readonly StateMachine<TargetState, TargetTrigger> _machine;
    private readonly string _target;
    private Outcome _outcome;

    public TargetLifecycle(string target, TargetState initial = TargetState.Disabled)
    {
        _target = target;
        _machine = new StateMachine<TargetState, TargetTrigger>(initial);
        Configure(_machine);
    }

    public TargetState State => _machine.State;

    /// <summary>Where the current SettingUp/Cleaning transition will end (None outside them).</summary>
    public Outcome PendingOutcome => _outcome;

    public LifecycleVerdict Fire(TargetTrigger trigger)
    {
        if (_machine.CanFire(trigger))
        {
            _machine.Fire(trigger);
            return LifecycleVerdict.Permitted;
        }
        return Refuse(trigger);
    }

    /// <summary>The machine as Graphviz DOT, generated from its definition.</summary>
    public static string ToDotGraph() => UmlDotGraph.Format(Describe().GetInfo());

    /// <summary>The machine as a Mermaid state diagram, generated from its definition.</summary>
    public static string ToMermaidGraph() => MermaidGraph.Format(Describe().GetInfo());

    private static StateMachine<TargetState, TargetTrigger> Describe()
    {
        var machine = new StateMachine<TargetState, TargetTrigger>(TargetState.Disabled);
        new TargetLifecycle("diagram").Configure(machine);
        return machine;
    }

    private LifecycleVerdict Refuse(TargetTrigger trigger)
    {
        var state = _machine.State;
        if (state == TargetState.Dropped)
            return new InvalidVerdict(state, $"target {_target} is dropped");
        return trigger switch
        {
            TargetTrigger.WriteAttribute => new BusyVerdict(state,
                $"target {_target} is {Describe(state)}, disable to update parameters"),
            TargetTrigger.Enable or TargetTrigger.Disable or TargetTrigger.Drop => new BusyVerdict(state,
                $"target {_target} is {Describe(state)}, wait for it to settle"),
            _ => new InvalidVerdict(state, $"target {_target} cannot take {trigger} while {Describe(state)}"),
        };
    }

    private static string Describe(TargetState state) => state switch
    {
        TargetState.SettingUp => "setting up",
        _ => state.ToString().ToLowerInvariant(),
    };

    private void Aim(Outcome wanted)
    {
        if (wanted > _outcome)
            _outcome = wanted;
    }

    /// <summary>A device registering again only matters if its going away was what we were waiting on.</summary>
    private void Return()
    {
        if (_outcome == Outcome.Deactivate)
            _outcome = Outcome.Restart;
    }

    private bool Ends(Outcome outcome) => _outcome == outcome;

    private void Configure(StateMachine<TargetState, TargetTrigger> m)
    {
        m.Configure(TargetState.Disabled)
            .OnEntry(() => _outcome = Outcome.None, "forget outcome")
            .InternalTransitionIf(TargetTrigger.WriteAttribute, _ => true, _ => { }, "parameters writable")
            .Permit(TargetTrigger.Enable, TargetState.SettingUp)
            .Permit(TargetTrigger.Drop, TargetState.Dropped)
            .Ignore(TargetTrigger.Disable)
            .Ignore(TargetTrigger.DeviceUnregistered)
            .Ignore(TargetTrigger.DeviceEnslaved)
            .Ignore(TargetTrigger.DeviceRegistered);

        m.Configure(TargetState.SettingUp)
            .OnEntry(() => _outcome = Outcome.None, "forget outcome")
            // Setup runs elsewhere; what happens meanwhile only changes where it will end.
            .InternalTransitionIf(TargetTrigger.DeviceUnregistered, _ => true, _ => Aim(Outcome.Deactivate), "remember: end Deactivated")
            .InternalTransitionIf(TargetTrigger.DeviceEnslaved, _ => true, _ => Aim(Outcome.Disable), "remember: end Disabled")
            .InternalTransitionIf(TargetTrigger.Drop, _ => true, _ => Aim(Outcome.Drop), "remember: end Dropped")
            .InternalTransitionIf(TargetTrigger.DeviceRegistered, _ => true, _ => Return(), "remember: set up again if it had gone")
            .PermitIf(TargetTrigger.SetupSucceeded, TargetState.Enabled, () => Ends(Outcome.None), "device alive, not dropped")
            .PermitIf(TargetTrigger.SetupSucceeded, TargetState.Cleaning, () => !Ends(Outcome.None), "device gone or dropped meanwhile")
            // Nothing to close, but Cleaning is where a restart goes back to SettingUp.
            .PermitIf(TargetTrigger.SetupFailed, TargetState.Cleaning, () => Ends(Outcome.Restart), "device came back meanwhile")
            .PermitIf(TargetTrigger.SetupFailed, TargetState.Disabled, () => Ends(Outcome.None) || Ends(Outcome.Disable), "setup error")
            .PermitIf(TargetTrigger.SetupFailed, TargetState.Deactivated, () => Ends(Outcome.Deactivate), "device unregistered meanwhile")
            .PermitIf(TargetTrigger.SetupFailed, TargetState.Dropped, () => Ends(Outcome.Drop), "dropped meanwhile");

        m.Configure(TargetState.Enabled)
            .OnEntry(() => _outcome = Outcome.None, "forget outcome")
            .Permit(TargetTrigger.Disable, TargetState.Cleaning)
            .Permit(TargetTrigger.DeviceUnregistered, TargetState.Cleaning)
            .Permit(TargetTrigger.DeviceEnslaved, TargetState.Cleaning)
            .Permit(TargetTrigger.Drop, TargetState.Cleaning)
            .Ignore(TargetTrigger.DeviceRegistered);

        m.Configure(TargetState.Cleaning)
            .OnEntryFrom(TargetTrigger.Disable, () => Aim(Outcome.Disable), "end Disabled")
            .OnEntryFrom(TargetTrigger.DeviceUnregistered, () => Aim(Outcome.Deactivate), "end Deactivated")
            .OnEntryFrom(TargetTrigger.DeviceEnslaved, () => Aim(Outcome.Disable), "end Disabled")
            .OnEntryFrom(TargetTrigger.Drop, () => Aim(Outcome.Drop), "end Dropped")
            .InternalTransitionIf(TargetTrigger.Drop, _ => true, _ => Aim(Outcome.Drop), "remember: end Dropped")
            // The user already chose to disable; a vanishing device does not turn that into Deactivated.
            .InternalTransitionIf(TargetTrigger.DeviceUnregistered, _ => true, _ => { if (Ends(Outcome.Restart)) Aim(Outcome.Deactivate); }, "gone again: end Deactivated")
            .Ignore(TargetTrigger.DeviceEnslaved)
            .InternalTransitionIf(TargetTrigger.DeviceRegistered, _ => true, _ => Return(), "remember: set up again if it had gone")
            .PermitIf(TargetTrigger.CleanupDone, TargetState.SettingUp, () => Ends(Outcome.Restart), "device came back")
            .PermitIf(TargetTrigger.CleanupDone, TargetState.Disabled, () => Ends(Outcome.Disable), "disabled or enslaved")
            .PermitIf(TargetTrigger.CleanupDone, TargetState.Deactivated, () => Ends(Outcome.Deactivate), "device unregistered")
            .PermitIf(TargetTrigger.CleanupDone, TargetState.Dropped, () => Ends(Outcome.Drop), "dropped");

        m.Configure(TargetState.Deactivated)
            .OnEntry(() => _outcome = Outcome.None, "forget outcome")
            .InternalTransitionIf(TargetTrigger.WriteAttribute, _ => true, _ => { }, "parameters writable")
            // Writing enabled resets DEACTIVATED (mainline): 1 sets up again, 0 makes it plainly disabled.
            .Permit(TargetTrigger.Enable, TargetState.SettingUp)
            .Permit(TargetTrigger.Disable, TargetState.Disabled)
            .Permit(TargetTrigger.DeviceRegistered, TargetState.SettingUp)
            .Permit(TargetTrigger.Drop, TargetState.Dropped)
            .Ignore(TargetTrigger.DeviceUnregistered)
            .Ignore(TargetTrigger.DeviceEnslaved);

        m.Configure(TargetState.Dropped);
    }
}
