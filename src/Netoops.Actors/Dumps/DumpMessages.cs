using Netoops.Protocol.Packets;

namespace Netoops.Actors.Dumps;

/// <summary>Why a dump is asked for (kmsg_dump reasons, plus vendor OOM and WARN).</summary>
public enum DumpReason { Oops, Panic, Soft, Oom, Warn }

/// <summary>The kernel log at dump time as the ring hands it over: two segments, older then newer.</summary>
public sealed record LogSnapshot(ReadOnlyMemory<byte> Older, ReadOnlyMemory<byte> Newer)
{
    public static LogSnapshot Of(ReadOnlyMemory<byte> log) => new(ReadOnlyMemory<byte>.Empty, log);
}

/// <summary>
/// Send this log to every netoops target. Reply (and event stream): exactly one <see cref="DumpReport"/>.
/// </summary>
public sealed record DumpRequested(DumpReason Reason, LogSnapshot Log, X86Registers? Registers = null, X86Cpu? Cpu = null);

public enum DumpTargetOutcome
{
    /// <summary>Every round handed to the socket (see Failed for datagrams the socket refused).</summary>
    Sent,
    /// <summary>The target was setting up or cleaning when the dump reached it.</summary>
    Busy,
    /// <summary>The socket refused every datagram.</summary>
    Failed,
    /// <summary>The target left Enabled part-way (disabled, device unregistered).</summary>
    Interrupted,
    /// <summary>The device had no link.</summary>
    LinkDown,
    /// <summary>The target was removed before it answered.</summary>
    Dropped,
    /// <summary>No answer within the report deadline.</summary>
    TimedOut,
}

public sealed record DumpTargetResult(string Target, DumpTargetOutcome Outcome, int Sent, int Failed);

/// <param name="Serial">Arrival number of the request in this coordinator, from 1.</param>
/// <param name="DumpId">The packets' dump_id; null when the dump was refused before slicing.</param>
/// <param name="Refused">Why no packet was sent at all (policy, rate limit, bad header), else null.</param>
/// <param name="Targets">Only targets that were Enabled (or busy in a transition) when the dump reached them.</param>
public sealed record DumpReport(
    long Serial,
    DumpReason Reason,
    ushort? DumpId,
    int PacketCount,
    string? Refused,
    IReadOnlyList<DumpTargetResult> Targets)
{
    /// <summary>True when at least one target sent the whole dump: nothing to spool.</summary>
    public bool Delivered => Targets.Any(t => t.Outcome == DumpTargetOutcome.Sent && t.Sent > 0);
}
