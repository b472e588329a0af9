namespace Netoops.Actors.Targets;

/// <summary>The machine's answer to a trigger: permitted, or refused with the kernel's reason.</summary>
public abstract record LifecycleVerdict
{
    public static readonly LifecycleVerdict Permitted = new PermittedVerdict();

    public bool IsPermitted => this is PermittedVerdict;

    private sealed record PermittedVerdict : LifecycleVerdict;
}

/// <summary>The target is not in a state that allows this now (the kernel's EBUSY).</summary>
public sealed record BusyVerdict(TargetState State, string Message) : LifecycleVerdict;

/// <summary>The request can never be valid in this state (the target is dropped, or an internal
/// completion arrived that no transition expects).</summary>
public sealed record InvalidVerdict(TargetState State, string Message) : LifecycleVerdict;
