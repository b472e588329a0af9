namespace Netoops.Actors.Targets;

/// <summary>Common supertype of the explicit answers to a target request.</summary>
public interface ITargetReply
{
    string Target { get; }
}

/// <summary>The request was carried out (for enable/disable: after setup/cleanup finished).</summary>
public sealed record Accepted(string Target) : ITargetReply;

/// <summary>The kernel's EBUSY: not now, the target is in <paramref name="State"/>.</summary>
public sealed record Busy(string Target, TargetState State, string Message) : ITargetReply;

/// <summary>The request is wrong (bad value, unknown attribute or target, setup error); never retried as is.</summary>
public sealed record Invalid(string Target, string Reason) : ITargetReply;
