namespace Netoops.Analysis;

/// <summary>The bug class a title names, in the upper-case categories crash dashboards sort by.</summary>
public static class CrashType
{
    private static readonly (string Prefix, string Type)[] ByPrefix =
    [
        ("KASAN: use-after-free Read", "KASAN-USE-AFTER-FREE-READ"), ("KASAN: use-after-free Write", "KASAN-USE-AFTER-FREE-WRITE"),
        ("KASAN: slab-use-after-free Read", "KASAN-USE-AFTER-FREE-READ"), ("KASAN: slab-use-after-free Write", "KASAN-USE-AFTER-FREE-WRITE"),
        ("KASAN: invalid-free", "KASAN-INVALID-FREE"), ("KASAN: double-free", "KASAN-INVALID-FREE"),
        ("KASAN: null-ptr-deref Read", "KASAN-NULL-POINTER-DEREFERENCE-READ"),
        ("KASAN: null-ptr-deref Write", "KASAN-NULL-POINTER-DEREFERENCE-WRITE"),
        ("KASAN: ", "KASAN-"), ("KMSAN: uninit-value", "KMSAN-UNINIT-VALUE"), ("KMSAN: kernel-infoleak", "KMSAN-INFO-LEAK"),
        ("KMSAN: kernel-usb-infoleak", "KMSAN-INFO-LEAK"), ("KCSAN: data-race", "KCSAN-DATARACE"),
        ("KFENCE: use-after-free read", "KFENCE-USE-AFTER-FREE-READ"), ("KFENCE: invalid free", "KFENCE-INVALID-FREE"),
        ("KFENCE: memory corruption", "KFENCE-MEMORY-CORRUPTION"), ("KFENCE: ", "KFENCE-"),
        ("UBSAN: ", "UBSAN"), ("memory leak", "LEAK"),
        ("BUG: unable to handle kernel NULL pointer dereference", "NULL-POINTER-DEREFERENCE"),
        ("unable to handle kernel NULL pointer dereference", "NULL-POINTER-DEREFERENCE"),
        ("BUG: unable to handle kernel paging request", "MEMORY_SAFETY_BUG"), ("general protection fault", "MEMORY_SAFETY_BUG"),
        ("BUG: corrupted list", "MEMORY_SAFETY_BUG"), ("kernel panic: stack is corrupted", "MEMORY_SAFETY_BUG"),
        ("kernel panic: corrupted stack end", "MEMORY_SAFETY_BUG"), ("BUG: stack guard page", "MEMORY_SAFETY_BUG"),
        ("BUG: bad usercopy", "MEMORY_SAFETY_BUG"), ("WARNING: bad usercopy", "MEMORY_SAFETY_BUG"),
        ("VFS: ", "MEMORY_SAFETY_BUG"), ("PANIC: double fault", "MEMORY_SAFETY_BUG"), ("stack segment fault", "MEMORY_SAFETY_BUG"),
        ("WARNING: refcount bug", "REFCOUNT_WARNING"),
        ("possible deadlock", "LOCKDEP"), ("inconsistent lock state", "LOCKDEP"), ("WARNING: locking bug", "LOCKDEP"),
        ("BUG: bad unlock balance", "LOCKDEP"), ("WARNING: bad unlock balance", "LOCKDEP"), ("BUG: held lock freed", "LOCKDEP"),
        ("WARNING: held lock freed", "LOCKDEP"), ("WARNING: still has locks held", "LOCKDEP"), ("BUG: still has locks held", "LOCKDEP"),
        ("WARNING: lock held when returning", "LOCKDEP"), ("INFO: trying to register non-static key", "LOCKDEP"),
        ("WARNING: suspicious RCU usage", "LOCKDEP"), ("INFO: suspicious RCU usage", "LOCKDEP"),
        ("WARNING: nested lock was not taken", "LOCKDEP"), ("BUG: spinlock", "LOCKDEP"), ("BUG: MAX_", "LOCKDEP"),
        ("BUG: sleeping function called from invalid context", "ATOMIC_SLEEP"), ("BUG: scheduling while atomic", "ATOMIC_SLEEP"),
        ("INFO: task hung", "HANG"), ("INFO: task can't die", "HANG"), ("INFO: rcu detected stall", "HANG"),
        ("BUG: soft lockup", "HANG"), ("BUG: workqueue lockup", "HANG"), ("unregister_netdevice: waiting", "HANG"),
        ("out of memory", "OOM"), ("WARNING", "WARNING"), ("unexpected kernel reboot", "REBOOT"), ("SYZFAIL", "SYZ_FAILURE"),
        ("kernel BUG", "BUG"), ("BUG: ", "BUG"),
    ];

    public static string FromTitle(string title)
    {
        foreach (var (prefix, type) in ByPrefix)
        {
            if (!title.StartsWith(prefix, StringComparison.Ordinal))
                continue;
            if (type == "KASAN-" || type == "KFENCE-")
                return type + AccessOf(title);
            return type;
        }
        return "DoS";
    }

    private static string AccessOf(string title) =>
        title.Contains(" Read", StringComparison.Ordinal) || title.Contains(" read", StringComparison.Ordinal) ? "READ"
        : title.Contains(" Write", StringComparison.Ordinal) || title.Contains(" write", StringComparison.Ordinal) ? "WRITE"
        : "UNKNOWN";
}
