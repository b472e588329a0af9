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
/// <paramref name="Replay"/> is set for a dump taken earlier (spool, pstore).
/// </summary>
public sealed record DumpRequested(DumpReason Reason, LogSnapshot Log, X86Registers? Registers = null, X86Cpu? Cpu = null,
    DumpReplay? Replay = null);

/// <summary>
/// A dump taken earlier, maybe in another boot: it goes out with the header of the boot that produced
/// it, and skips the policy and the rate limit (it was let through when it was taken; a spool of
/// several dumps must not be rate limited). It still waits its turn: one dump at a time.
/// A null <paramref name="BootId"/> or <paramref name="UserBlob"/> takes the current netoops setting.
/// <paramref name="DumpId"/> is an id this coordinator handed out earlier for this very dump (recorded
/// in its spool file, see <see cref="ReserveDumpId"/>); it is honoured as is, with
/// <paramref name="BootId"/>, so a dump sent again after a kill -9 is the same dump to the collector
/// (same source, boot_id, dump_id: a duplicate, not a second crash). Null: the allocator picks one.
/// </summary>
public sealed record DumpReplay(uint? BootId, string KernelVersion, string? UserBlob, ushort? DumpId = null);

/// <summary>
/// Hands out the next dump_id of <paramref name="BootId"/> (null: the current netoops boot_id) without
/// sending anything, so that a replay can record it durably before its first packet leaves.
/// Waits its turn like a dump. Reply: <see cref="DumpIdReserved"/>, or a <c>Status.Failure</c> when
/// the netoops subsystem did not answer for the settings.
/// </summary>
public sealed record ReserveDumpId(uint? BootId);

public sealed record DumpIdReserved(uint BootId, ushort DumpId);

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
    /// <summary>
    /// True when <see cref="Refused"/> is a decision that asking again would repeat (the policy, the
    /// rate limit, a header that cannot be encoded): nothing to keep for later. False for a refusal
    /// that is a failure (the netoops subsystem did not answer), which a caller keeps and retries.
    /// </summary>
    public bool Final { get; init; }

    /// <summary>The header the packets carried (boot_id, release, user blob…); null when nothing was sliced.</summary>
    public DumpHeader? Header { get; init; }

    /// <summary>True when at least one target sent the whole dump: nothing to spool.</summary>
    public bool Delivered => Targets.Any(t => t.Outcome == DumpTargetOutcome.Sent && t.Sent > 0);
}
