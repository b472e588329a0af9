using Akka.Actor;
using Netoops.Actors.Targets;

namespace Netoops.Actors.Subsystems;

/// <summary>mkdir: create a disabled target with the subsystem's defaults. Reply: <see cref="TargetMade"/>, <see cref="Busy"/> or <see cref="Invalid"/>.</summary>
public sealed record MakeTarget(string Target);

public sealed record TargetMade(string Target) : ITargetReply;

/// <summary>ls. Reply: <see cref="TargetList"/>, sorted by name.</summary>
public sealed record ListTargets;

public sealed record TargetSummary(string Target, TargetState State);

public sealed record TargetList(string Subsystem, IReadOnlyList<TargetSummary> Targets);

/// <summary>
/// Sends <paramref name="Transmit"/> to every target of the subsystem; each answers the sender
/// directly with a <see cref="TransmitReport"/> (NotEnabled unless Enabled when it gets it).
/// First reply: <see cref="FanOutStarted"/>, naming every target asked.
/// </summary>
public sealed record FanOut(Transmit Transmit);

public sealed record FanOutStarted(long Tag, IReadOnlyList<TargetRef> Targets);

/// <summary>A target and its actor, so a gatherer can watch it and notice a drop mid-way.</summary>
public sealed record TargetRef(string Target, IActorRef Actor);

/// <summary>Sends <paramref name="Transmit"/> through one named target. Reply: its <see cref="TransmitReport"/>, or <see cref="Invalid"/>.</summary>
public sealed record TransmitOn(string Target, Transmit Transmit);

/// <summary>Read a subsystem-wide setting (netoops: boot_id, user_blob, record_oom). Reply: <see cref="SettingValue"/> or <see cref="Invalid"/>.</summary>
public sealed record ReadSetting(string Setting);

public sealed record SettingValue(string Setting, string Text);

/// <summary>Write a subsystem-wide setting with sysfs text semantics. Reply: <see cref="Accepted"/> or <see cref="Invalid"/>.</summary>
public sealed record WriteSetting(string Setting, string Text);

/// <summary>Reply: <see cref="NetoopsSettings"/>.</summary>
public sealed record GetNetoopsSettings;
