namespace Netoops.Agent.Spool;

/// <summary>Why a dump was taken; the netoops v3 packet type follows from it (Soft → 3, else 1).</summary>
public enum DumpCause { Oops, Panic, Soft, Oom, Warn }

/// <summary>
/// Everything needed to send one dump again later, possibly from another boot: the log as the
/// two ring segments, and the machine facts of the boot that produced it (a pstore record
/// belongs to the previous boot, not to this one). A null <paramref name="BootId"/> or
/// <paramref name="UserBlob"/> means "this boot's netoops settings at send time"; they are
/// filled in before a dump is spooled, so a spooled dump keeps the values of its own boot.
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
    DateTimeOffset TakenAt);
