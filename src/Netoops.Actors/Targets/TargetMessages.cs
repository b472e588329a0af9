using Netoops.Actors.Ports;
using Netoops.Protocol.Kmsg;

namespace Netoops.Actors.Targets;

// Requests a target (or its subsystem, which forwards them) answers. Target names let the
// subsystem route; the target actor itself ignores them.

/// <summary>Read one attribute as configfs text. Reply: <see cref="AttributeValue"/> or <see cref="Invalid"/>.</summary>
public sealed record ReadAttribute(string Target, string Attribute);

public sealed record AttributeValue(string Target, string Attribute, string Text) : ITargetReply;

/// <summary>
/// Write one attribute with configfs text semantics. Reply: <see cref="Accepted"/>, <see cref="Busy"/>
/// or <see cref="Invalid"/>. A write to <c>enabled</c> is answered once setup or cleanup is over.
/// </summary>
public sealed record WriteAttribute(string Target, string Attribute, string Text);

/// <summary>Reply: <see cref="TargetStatus"/>.</summary>
public sealed record GetTargetStatus(string Target);

public sealed record TargetStatus(
    string Subsystem,
    string Target,
    TargetState State,
    TargetAttributes Attributes,
    NetDevice? Device,
    bool LinkUp,
    long TransmitErrors) : ITargetReply;

/// <summary>Remove the target (rmdir). Cancels setup/cleanup in flight, cleans up, then replies <see cref="TargetDropped"/>.</summary>
public sealed record DropTarget(string Target);

public sealed record TargetDropped(string Target) : ITargetReply;

/// <summary>
/// Send <paramref name="Packets"/> <paramref name="Rounds"/> times, in order, with
/// <paramref name="Spacing"/> between packets (zero: back to back). Reply: <see cref="TransmitReport"/>.
/// </summary>
public sealed record Transmit(IReadOnlyList<ReadOnlyMemory<byte>> Packets, int Rounds, TimeSpan Spacing, long Tag = 0);

public enum TransmitOutcome
{
    /// <summary>Every datagram was handed to the socket (see <see cref="TransmitReport.Failed"/> for refusals).</summary>
    Sent,
    /// <summary>The target was not Enabled when the request arrived; nothing sent.</summary>
    NotEnabled,
    /// <summary>The device had no link; nothing (more) sent.</summary>
    LinkDown,
    /// <summary>The target left Enabled (disable, unregister, drop) part-way.</summary>
    Interrupted,
}

public sealed record TransmitReport(string Target, long Tag, TransmitOutcome Outcome, int Sent, int Failed, TargetState State) : ITargetReply;

/// <summary>Published on the event stream (and told to the parent subsystem) after every state change.</summary>
public sealed record TargetStateChanged(string Subsystem, string Target, TargetState From, TargetState To, TargetTrigger Trigger);

/// <summary>
/// One log record for a netconsole target: formatted by the target itself (basic, or extended with
/// its release, userdata and sysdata) and sent if Enabled with link. No reply; failures count in
/// transmit_errors.
/// </summary>
public sealed record StreamRecord(KmsgRecord Record, string Release);
