using Netoops.Actors.Targets;

namespace Netoops.Chaos.Tests.Mutants;

/// <summary>How a mutant departs from the rules for one (state, trigger).</summary>
public sealed record Breach(TargetState? From, TargetTrigger? Then)
{
    /// <summary>Accept the trigger but change nothing (a write let through, an event forgotten).</summary>
    public static readonly Breach KeepState = new(null, null);

    /// <summary>Behave as if the target had been in <paramref name="from"/> and fire <paramref name="then"/> there.</summary>
    public static Breach Via(TargetState from, TargetTrigger then) => new(from, then);
}

/// <summary>
/// The real lifecycle machine, except where <paramref name="breach"/> says otherwise: there the
/// mutant either accepts without moving, or rebuilds the real machine in another state and fires
/// the trigger from it (so every state after a breach behaves as the real machine would).
/// </summary>
public sealed class BreachingLifecycle(string target, Func<TargetState, TargetTrigger, Breach?> breach) : ITargetLifecycle
{
    private TargetLifecycle _inner = new(target);

    public TargetState State => _inner.State;

    public LifecycleVerdict Fire(TargetTrigger trigger)
    {
        switch (breach(_inner.State, trigger))
        {
            case null:
                return _inner.Fire(trigger);
            case { From: { } from, Then: { } then }:
                _inner = new TargetLifecycle(target, from);
                return _inner.Fire(then);
            default:
                return LifecycleVerdict.Permitted;
        }
    }
}
