namespace Netoops.Agent.Management;

/// <summary>How a management request ended; maps to an HTTP status and a CLI exit code.</summary>
public enum ControlOutcome
{
    Ok,
    /// <summary>The kernel's EBUSY (e.g. a parameter write while the target is enabled).</summary>
    Busy,
    /// <summary>A bad name, value or attribute: the message says which and why.</summary>
    Invalid,
    NotFound,
}

public sealed record ControlResult<T>(ControlOutcome Outcome, T? Value, string? Message)
{
    public static ControlResult<T> Ok(T value) => new(ControlOutcome.Ok, value, null);
    public static ControlResult<T> Refused(ControlOutcome outcome, string message) => new(outcome, default, message);
}

public sealed record TargetSummary(string Subsystem, string Name, string State, string DevName, string Remote, long TransmitErrors);

public sealed record TargetDelivery(string Target, string Outcome, int Sent, int Failed);

/// <summary>One dump as `netoops status` shows it; <see cref="Refused"/> says why nothing was sent (policy, rate limit).</summary>
public sealed record DumpSummary(int DumpId, string Cause, string Origin, DateTimeOffset At, IReadOnlyList<TargetDelivery> Targets, bool Spooled)
{
    public string? Refused { get; init; }
}

public sealed record AgentStatus(
    IReadOnlyList<TargetSummary> Targets,
    IReadOnlyDictionary<string, long> Counters,
    IReadOnlyList<DumpSummary> RecentDumps);

/// <summary>
/// What the management API can ask of a running agent: the configfs-like tree of targets, the
/// netoops settings, soft dumps and status. The HTTP layer only translates; the agent's actors
/// answer (see <c>ActorAgentControl</c>).
/// </summary>
public interface IAgentControl
{
    Task<IReadOnlyList<string>> Subsystems();
    Task<ControlResult<IReadOnlyList<string>>> Targets(string subsystem);
    Task<ControlResult<string>> MakeTarget(string subsystem, string target);
    Task<ControlResult<string>> DropTarget(string subsystem, string target);
    Task<ControlResult<IReadOnlyDictionary<string, string>>> Attributes(string subsystem, string target);
    Task<ControlResult<string>> ReadAttribute(string subsystem, string target, string attribute);
    Task<ControlResult<string>> WriteAttribute(string subsystem, string target, string attribute, string text);
    Task<ControlResult<string>> ReadSetting(string name);
    Task<ControlResult<string>> WriteSetting(string name, string text);
    Task<ControlResult<DumpSummary>> SoftDump();
    Task<AgentStatus> Status();
}
