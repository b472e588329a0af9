namespace Netoops.Analysis;

/// <summary>Why the kernel printed a report: the reason an agent ships a dump with.</summary>
public enum CrashKind
{
    /// <summary>A fault the kernel could not handle: paging request, GPF, invalid opcode, divide error.</summary>
    Oops,
    /// <summary>A <c>BUG()</c> or <c>BUG:</c> assertion.</summary>
    Bug,
    /// <summary>A <c>WARN()</c>: the kernel carried on.</summary>
    Warn,
    /// <summary>A sanitizer finding: KASAN, KMSAN, KCSAN, KFENCE, UBSAN.</summary>
    Sanitizer,
    /// <summary>A lockdep report: possible deadlock, inconsistent lock state, bad unlock balance.</summary>
    Lockdep,
    /// <summary>A stall: soft lockup, RCU stall, hung task.</summary>
    Hang,
    /// <summary>The OOM killer ran: reported, but not a kernel bug (`analyze` prints "crash": false).</summary>
    Oom,
    /// <summary>A memory leak found by kmemleak.</summary>
    Leak,
    /// <summary><c>Kernel panic - not syncing</c>.</summary>
    Panic,
    /// <summary>The machine rebooted in the middle of the log.</summary>
    Reboot,
    /// <summary>A user-space failure reported on the console (executor, Go runtime).</summary>
    UserSpace,
}
