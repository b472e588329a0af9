namespace Netoops.Agent.Spool;

/// <summary>Why a dump was taken; the netoops v3 packet type follows from it (Soft → 3, else 1).</summary>
public enum DumpCause { Oops, Panic, Soft, Oom, Warn }

/// <summary>
/// Everything needed to send one dump again later, possibly from another boot: the log as the
/// two ring segments, and the machine facts of the boot that produced it (a pstore record
/// belongs to the previous boot, not to this one).
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
    uint BootId,
    string UserBlob,
    string Origin,
    DateTimeOffset TakenAt);
