namespace Netoops.Agent.Spool;

/// <summary>Why a dump was taken; the netoops v3 packet type follows from it (Soft → 3, else 1).</summary>
public enum DumpCause { Oops, Panic, Soft, Oom, Warn }

/// <summary>
/// Everything needed to send one dump again later, possibly from another boot: the log as the
/// two ring segments, and the machine facts of the boot that produced it (a pstore record
/// belongs to the previous boot, not to this one). A null <paramref name="BootId"/> or
/// <paramref name="UserBlob"/> means "this boot's netoops settings at send time"; they are
/// filled in before a dump is spooled, so a spooled dump keeps the values of its own boot.
/// <paramref name="DumpId"/> is the id the coordinator gave this dump (live send, or reserved
/// before its first replay), recorded before any packet under it leaves: every resend reuses it,
/// so a dump sent but not yet removed when the agent was killed is a duplicate to the collector,
/// not a second dump. Null in files of an earlier version: one is reserved on first replay.
/// </summary>
public sealed record PendingDump(
    DumpCause Cause,
    byte[] Older,
    byte[] Newer,
    ulong[]? Registers,
    byte CpuVendor,
    byte CpuFamily,
    byte CpuModel,
    byte CpuStepping,
    string KernelRelease,
    uint? BootId,
    string? UserBlob,
    string Origin,
    DateTimeOffset TakenAt,
    ushort? DumpId = null);
