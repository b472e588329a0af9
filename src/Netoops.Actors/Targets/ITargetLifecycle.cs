namespace Netoops.Actors.Targets;

/// <summary>
/// The lifecycle a target actor drives. Production uses <see cref="TargetLifecycle"/>; the seam
/// exists so the chaos suite can inject historical bugs (mutants) without a production switch.
/// </summary>
public interface ITargetLifecycle
{
    TargetState State { get; }

    /// <summary>Fires a trigger. Never throws: an unpermitted trigger comes back as a refusal.</summary>
    LifecycleVerdict Fire(TargetTrigger trigger);
}
