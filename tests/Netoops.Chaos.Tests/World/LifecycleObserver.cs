using Netoops.Actors.Targets;

namespace Netoops.Chaos.Tests.World;

/// <summary>
/// Watches every target's lifecycle from inside the target (through the lifecycle seam), so the
/// state it reports is exact at the moment a port is called, in deterministic and multi-threaded
/// runs alike. Checks that every change is one the rules permit (I5) and that a target reaching
/// Disabled, Deactivated or Dropped has closed every socket it was given (I4).
/// </summary>
public sealed class LifecycleObserver(Violations violations, Trace trace)
{
    private readonly Dictionary<string, TargetState> _states = new(StringComparer.Ordinal);
    private readonly List<Transition> _transitions = [];
    private readonly object _gate = new();

    /// <summary>Set by the run so that the socket check can look at the target's channels.</summary>
    public Func<string, IEnumerable<ChaosChannel>> ChannelsOf { get; set; } = _ => [];

    public sealed record Transition(string Target, TargetState From, TargetTrigger Trigger, TargetState To);

    /// <summary>The latest state of the target's current incarnation; absent targets count as Dropped.</summary>
    public TargetState StateOf(string target)
    {
        lock (_gate) return _states.TryGetValue(target, out var s) ? s : TargetState.Dropped;
    }

    public IReadOnlyDictionary<string, TargetState> Snapshot()
    {
        lock (_gate) return new Dictionary<string, TargetState>(_states);
    }

    public int TransitionCount
    {
        get { lock (_gate) return _transitions.Count; }
    }

    public IReadOnlyList<Transition> TransitionsSince(int mark)
    {
        lock (_gate) return _transitions.Skip(mark).ToList();
    }

    /// <summary>Wraps the lifecycle a target actor builds (real or mutant) so every trigger is seen.</summary>
    public ITargetLifecycle Watch(string target, ITargetLifecycle inner)
    {
        lock (_gate) _states[target] = inner.State;
        return new Watched(this, target, inner);
    }

    private void Record(string target, TargetState from, TargetTrigger trigger, TargetState to)
    {
        lock (_gate)
        {
            _states[target] = to;
            _transitions.Add(new Transition(target, from, trigger, to));
        }
        trace.Add($"{target}: {from} -{trigger}-> {to}");
        if (!LegalTransitions.Permits(from, trigger, to))
            violations.Add(Invariant.LegalLifecycle, $"target {target} went {from} -{trigger}-> {to}, which the lifecycle rules do not permit");
        if (to is TargetState.Disabled or TargetState.Deactivated or TargetState.Dropped)
        {
            foreach (var open in ChannelsOf(target).Where(c => !c.CloseCompleted))
                violations.Add(Invariant.SocketClosedOnce, $"target {target} reached {to} with socket #{open.Id} still open");
        }
    }

    private sealed class Watched(LifecycleObserver observer, string target, ITargetLifecycle inner) : ITargetLifecycle
    {
        public TargetState State => inner.State;

        public LifecycleVerdict Fire(TargetTrigger trigger)
        {
            var from = inner.State;
            var verdict = inner.Fire(trigger);
            if (inner.State != from) observer.Record(target, from, trigger, inner.State);
            return verdict;
        }
    }
}

/// <summary>
/// The lifecycle rules of patches 1–4 plus DEACTIVATED, written down independently of the
/// production machine as the list of state changes a target may make.
/// </summary>
public static class LegalTransitions
{
    private static readonly HashSet<(TargetState, TargetTrigger, TargetState)> Allowed =
    [
        (TargetState.Disabled, TargetTrigger.Enable, TargetState.SettingUp),
        (TargetState.Disabled, TargetTrigger.Drop, TargetState.Dropped),
        (TargetState.SettingUp, TargetTrigger.SetupSucceeded, TargetState.Enabled),
        // Setup finished but the device went away, was enslaved, or the target was dropped meanwhile.
        (TargetState.SettingUp, TargetTrigger.SetupSucceeded, TargetState.Cleaning),
        (TargetState.SettingUp, TargetTrigger.SetupFailed, TargetState.Disabled),
        (TargetState.SettingUp, TargetTrigger.SetupFailed, TargetState.Deactivated),
        (TargetState.SettingUp, TargetTrigger.SetupFailed, TargetState.Dropped),
        // Setup failed after the device went and came back: tidy up, then resume (found by this suite).
        (TargetState.SettingUp, TargetTrigger.SetupFailed, TargetState.Cleaning),
        (TargetState.Enabled, TargetTrigger.Disable, TargetState.Cleaning),
        (TargetState.Enabled, TargetTrigger.DeviceUnregistered, TargetState.Cleaning),
        (TargetState.Enabled, TargetTrigger.DeviceEnslaved, TargetState.Cleaning),
        (TargetState.Enabled, TargetTrigger.Drop, TargetState.Cleaning),
        (TargetState.Cleaning, TargetTrigger.CleanupDone, TargetState.Disabled),
        (TargetState.Cleaning, TargetTrigger.CleanupDone, TargetState.Deactivated),
        (TargetState.Cleaning, TargetTrigger.CleanupDone, TargetState.Dropped),
        // The device registered again while the target was being torn down for its unregister.
        (TargetState.Cleaning, TargetTrigger.CleanupDone, TargetState.SettingUp),
        (TargetState.Deactivated, TargetTrigger.Enable, TargetState.SettingUp),
        (TargetState.Deactivated, TargetTrigger.Disable, TargetState.Disabled),
        (TargetState.Deactivated, TargetTrigger.DeviceRegistered, TargetState.SettingUp),
        (TargetState.Deactivated, TargetTrigger.Drop, TargetState.Dropped),
    ];

    public static bool Permits(TargetState from, TargetTrigger trigger, TargetState to) => Allowed.Contains((from, trigger, to));
}
