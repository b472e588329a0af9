using System.Text.RegularExpressions;

namespace Netoops.Analysis;

/// <summary>
/// The report kinds Linux prints and how each is titled. Titles follow the convention kernel
/// developers and syzbot use: the report kind, then <c>in</c> and the first frame that is not
/// generic machinery (<c>general protection fault in mremap</c>).
/// </summary>
internal static class LinuxReports
{
    private static readonly Pattern? Trace = StackSpec.Trace;
    private static Pattern P(string pattern) => Pattern.Of(pattern);

    // The faulting instruction: x86 "RIP: 0010:func+0x1/0x2" (older "IP: [<pc>] func+..."),
    // powerpc "NIP", arm "PC is at func+...", arm64 "pc : func+...". A RIP without a symbol
    // still ends this part, so the stack that follows names the report. Only powerpc's "NIP [<pc>]"
    // goes without a colon: "Code: Bad RIP value." is not an instruction pointer.
    // Older i386 says "EIP is at func+0x1/0x2" (arch/x86/kernel/process_32.c), riscv "epc : func+…"
    // (arch/riscv/kernel/process.c, read by the "pc :" branch), s390 "Krnl PSW : <mask> <addr> (func+…)"
    // (arch/s390/kernel/dumpstack.c).
    private static readonly Pattern Rip = Pattern.Of(
        @"(?:N?IP: (?:[0-9]+:)?(?:<pc> +){0,2}<func>|NIP +(?:<pc> +){1,2}<func>|IP: (?:[0-9]+:)? *\(null\)|IP:? (?:[0-9]+:)?0x[0-9a-f]+|IP:? (?:[0-9]+:)?<pc> +\[< *\(null\)>\]|EIP is at <func>|PC is at <func>|PC is at 0x[0-9a-f]+|pc : <func>|pc : (?:0x)?[0-9a-f]+|Krnl PSW : [0-9a-f]+ [0-9a-f]+ \(<func>)",
        "IP", "PC is at", "pc :", "Krnl PSW");

    // arm's link register: names the caller when the PC is generic or not a symbol at all.
    // riscv's return address register prints as " ra : func+0x1/0x2".
    private static readonly Pattern LinkRegister = Pattern.Of(@"(?:LR is at|lr :|^ *ra :) *(?:<func>)?", "LR is at", "lr :", "ra :");

    private static readonly Pattern CallTrace = Pattern.Of(@"Call [Tt]race:|^Backtrace:", "Call Trace:", "Call trace:", "Backtrace:");
    private static readonly Pattern Backtrace = P(@"backtrace:");
    private static readonly Pattern LockAt = P(@"at: (?:<pc> +)?<func>");
    private static readonly Pattern PcOrLockAt = Pattern.Of(@"(?:<pc> +|at: (?:<pc> +)?)<func>", "[", "at: ");

    private static StackSpec Stack(params Pattern?[] parts) => new(parts);

    // Any stack entry: consumed without naming the report.
    private static readonly Pattern AnyFrame = P(@"^ *(?:<pc> ){0,2}[a-zA-Z0-9_]+(?:\.|\+)");

    // The timer interrupt that caught a stalled CPU, on x86 and arm.
    private static readonly Pattern TimerInterrupt = Pattern.Of(@"apic_timer_interrupt|__irq_svc|el1_irq|el1_interrupt",
        "apic_timer_interrupt", "__irq_svc", "el1_irq", "el1_interrupt");

    // Newer sanitizer reports print the stack right under their header; older ones after "Call Trace:".
    private static StackSpec HeaderStack(params string[] skip) => new([Trace], Fallback: [CallTrace, Trace], Skip: skip);

    // arm prints "PC is at func" then a "Backtrace:" of "(func) from (caller+0x1/0x2)"; arm64 "pc : func" then "Call trace:".
    private static StackSpec ArmStack() => new([Rip, LinkRegister, Trace], Fallback: [CallTrace, Trace]);
    private static StackSpec CallStack(params string[] skip) => new([CallTrace, Trace], Skip: skip);
    private static StackSpec RipThenCallStack(FramePicker picker = FramePicker.First, params string[] skip) =>
        new([Rip, CallTrace, Trace], Skip: skip, Picker: picker);

    // A WARN() names the function it fired in (the RIP line of newer kernels, else the first stack
    // entry); when that function is a generic helper, the call trace names the caller.
    private static StackSpec WarningStack(params string[] skip) =>
        new([Rip, Trace], Fallback: [CallTrace, Trace], Skip: skip);

    public static readonly ReportGroup[] Groups =
    [
        new("BUG:", CrashKind.Bug,
        [
            new() { Title = P(@"BUG: KASAN:"), Kind = CrashKind.Sanitizer,
                Report = [P(@"BUG: KASAN: ([a-z\-]+) in <func>"), P(@"(Read|Write) (?:of size|at addr)")],
                Format = "KASAN: {1} {3} in {frame}",
                Stack = Stack(P(@"BUG: KASAN: (?:[a-z\-]+) in <func>"), CallTrace, Trace) },
            new() { Title = P(@"BUG: KASAN:"), Kind = CrashKind.Sanitizer,
                Report = [P(@"BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in <func>")],
                Format = "KASAN: invalid-free in {frame}",
                Stack = new([P(@"BUG: KASAN: (?:double-free or invalid-free|double-free|invalid-free) in <func>"), CallTrace, Trace],
                    Skip: ["kmem_", "slab_", "kfree", "vunmap", "vfree"]) },
            new() { Title = P(@"BUG: KASAN:"), Kind = CrashKind.Sanitizer,
                Report = [P(@"BUG: KASAN: ([a-z\-]+) on address"), P(@"(Read|Write) of size ([0-9]+)")],
                Format = "KASAN: {1} {2}" },
            new() { Title = P(@"BUG: KASAN: (.*)"), Format = "KASAN: {1}", Corrupted = true, Kind = CrashKind.Sanitizer },
            new() { Title = P(@"BUG: KMSAN: kernel-usb-infoleak"), Kind = CrashKind.Sanitizer,
                Format = "KMSAN: kernel-usb-infoleak in {frame}", NoStackTrace = true,
                Stack = HeaderStack("usb_submit_urb", "usb_start_wait_urb", "usb_bulk_msg", "usb_interrupt_msg", "usb_control_msg") },
            new() { Title = P(@"BUG: KMSAN: ([a-z\-]+) in <func>"), Kind = CrashKind.Sanitizer,
                Format = "KMSAN: {1} in {frame}", NoStackTrace = true, Stack = HeaderStack() },
            new() { Title = P(@"BUG: KCSAN: (.*)"), Format = "KCSAN: {1}", NoStackTrace = true, Kind = CrashKind.Sanitizer },
            // Corruption is found when the object is freed: the freeing function only reports it, its caller is to blame.
            new() { Title = P(@"BUG: KFENCE: (memory corruption) in <func>"), Kind = CrashKind.Sanitizer,
                Format = "KFENCE: {1} in {frame}", NoStackTrace = true,
                Stack = Stack(P(@"Corrupted memory at"), AnyFrame, Trace) },
            new() { Title = P(@"BUG: KFENCE: ([a-z\- ]+) in <func>"), Kind = CrashKind.Sanitizer,
                Format = "KFENCE: {1} in {frame}", NoStackTrace = true,
                Stack = Stack(P(@"BUG: KFENCE: [a-z\- ]+ in <func>"), Trace) },
            new() { Title = P(@"BUG: (?:unable to handle kernel paging request|unable to handle page fault for address|Unable to handle kernel data access)"),
                Kind = CrashKind.Oops, Format = "BUG: unable to handle kernel paging request in {frame}",
                Stack = RipThenCallStack() },
            new() { Title = P(@"BUG: (?:unable to handle kernel NULL pointer dereference|kernel NULL pointer dereference|Kernel NULL pointer dereference)"),
                Kind = CrashKind.Oops, Format = "BUG: unable to handle kernel NULL pointer dereference in {frame}",
                Stack = RipThenCallStack() },
            // The two halves of this header are separate printk calls; alone, the first half means the rest was lost.
            new() { Title = P(@"BUG: (?:unable to handle kernel|Unable to handle kernel)"), Kind = CrashKind.Oops,
                Format = "BUG: unable to handle kernel", Corrupted = true },
            new() { Title = P(@"BUG: spinlock (lockup suspected|already unlocked|recursion|bad magic|wrong owner|wrong CPU)"),
                Format = "BUG: spinlock {1} in {frame}", Stack = CallStack("spin_", "_lock") },
            new() { Title = P(@"BUG: rwlock (bad magic|already unlocked|recursion|wrong owner|wrong CPU)"),
                Format = "BUG: rwlock {1} in {frame}", Stack = CallStack("rwlock", "_lock") },
            new() { Title = P(@"BUG: Invalid wait context"), Kind = CrashKind.Lockdep,
                Format = "WARNING: locking bug in {frame}", Stack = CallStack() },
            new() { Title = P(@"BUG: soft lockup"), Kind = CrashKind.Hang, Format = "BUG: soft lockup in {frame}",
                Stack = RipThenCallStack(FramePicker.Stall) },
            new() { Title = P(@"BUG: .*still has locks held!"), Kind = CrashKind.Lockdep,
                Format = "BUG: still has locks held in {frame}", Stack = Stack(PcOrLockAt) },
            new() { Title = P(@"BUG: lock held when returning to user space"), Kind = CrashKind.Lockdep, NoStackTrace = true,
                Report = [P(@"BUG: lock held when returning to user space"), P(@"leaving the kernel with locks still held"), LockAt],
                Format = "BUG: lock held when returning to user space in {1}" },
            new() { Title = P(@"BUG: bad unlock balance detected!"), Kind = CrashKind.Lockdep,
                Format = "BUG: bad unlock balance in {frame}", Stack = Stack(P(@"is trying to release lock"), PcOrLockAt) },
            new() { Title = P(@"BUG: held lock freed!"), Kind = CrashKind.Lockdep,
                Format = "BUG: held lock freed in {frame}", Stack = Stack(PcOrLockAt) },
            new() { Title = P(@"BUG: Bad rss-counter state"), Format = "BUG: Bad rss-counter state", NoStackTrace = true },
            new() { Title = P(@"BUG: non-zero nr_ptes on freeing mm"), Format = "BUG: non-zero nr_ptes on freeing mm", NoStackTrace = true },
            new() { Title = P(@"BUG: non-zero nr_pmds on freeing mm"), Format = "BUG: non-zero nr_pmds on freeing mm", NoStackTrace = true },
            new() { Title = P(@"BUG: Dentry .* still in use \([0-9]+\) \[(unmount) of ([^\]]+)\]"),
                Format = "BUG: Dentry still in use in {1}" },
            new() { Title = P(@"BUG: Bad page state"), Format = "BUG: Bad page state in {frame}", Stack = CallStack() },
            new() { Title = P(@"BUG: Bad page map"), Format = "BUG: Bad page map" },
            new() { Title = P(@"BUG: workqueue lockup"), Kind = CrashKind.Hang, Format = "BUG: workqueue lockup", NoStackTrace = true },
            new() { Title = P(@"BUG: sleeping function called from invalid context at (.*)"),
                Format = "BUG: sleeping function called from invalid context in {frame}", Stack = CallStack() },
            new() { Title = P(@"BUG: scheduling while atomic"), Format = "BUG: scheduling while atomic in {frame}",
                Stack = CallStack("schedule", "preempt", "sched") },
            new() { Title = P(@"BUG: using ([a-z_]+)\(\) in preemptible"),
                Format = "BUG: using {1}() in preemptible code in {frame}",
                Stack = CallStack("dump_stack", "preemption", "preempt", "debug_", "processor_id", "this_cpu") },
            new() { Title = P(@"BUG: workqueue leaked lock or atomic"), NoStackTrace = true,
                Report = [P(@"BUG: workqueue leaked lock or atomic"), P(@"last function: ([a-zA-Z0-9_]+)")],
                Format = "BUG: workqueue leaked lock or atomic in {1}" },
            new() { Title = P(@"BUG: memory leak"), Kind = CrashKind.Leak, Format = "memory leak in {frame}",
                Stack = new([Backtrace, Trace], Skip: ["kmemleak", "kmalloc", "kcalloc", "kzalloc", "vmalloc", "mmap",
                    "kmem", "slab", "alloc", "create_object", "idr_get", "list_lru_init", "kasprintf", "kvasprintf",
                    "pcpu_create", "strdup", "strndup", "memdup"]) },
            // A stack overflow is deep recursion: like a stall, it is named where the work came in.
            new() { Title = P(@"BUG: (?:TASK |IRQ )?stack guard page was hit at"), Format = "BUG: stack guard page was hit in {frame}",
                Stack = new([Rip, CallTrace, Trace], Skip: ["bad_stack"], Picker: FramePicker.Stall), NoStackTrace = true },
            new() { Title = P(@"BUG:\s*$"), Format = "BUG: corrupted", Corrupted = true },
        ],
        [P(@"ODEBUG:"), P(@"Boot_DEBUG:"), P(@"xlog_status:"), P(@"DEBUG:"), P(@"BUG: no syscalls can create resource")]),

        new("WARNING:", CrashKind.Warn,
        [
            new() { Title = P(@"WARNING: .*lib/debugobjects\.c.* (?:debug_print|debug_check)"),
                Format = "WARNING: ODEBUG bug in {frame}",
                Stack = WarningStack("debug_", "rcu", "hrtimer_", "timer_", "work_", "percpu_", "kmem_", "slab_",
                    "kfree", "vunmap", "vfree", "__free_", "debug_check", "kobject_") },
            new() { Title = P(@"WARNING: .*mm/usercopy\.c.* usercopy_warn"), Format = "WARNING: bad usercopy in {frame}",
                Stack = WarningStack("usercopy", "__check") },
            new() { Title = P(@"WARNING: .*lib/kobject\.c.* kobject_"), Format = "WARNING: kobject bug in {frame}",
                Stack = WarningStack("kobject_") },
            new() { Title = P(@"WARNING: .*fs/proc/generic\.c.* proc_register"), Format = "WARNING: proc registration bug in {frame}",
                Stack = WarningStack("proc_") },
            new() { Title = P(@"WARNING: .*lib/refcount\.c.* refcount_"), Format = "WARNING: refcount bug in {frame}",
                Stack = WarningStack("refcount", "kobject_") },
            new() { Title = P(@"WARNING: .*kernel/locking/lockdep\.c.*lock_"), Kind = CrashKind.Lockdep,
                Format = "WARNING: locking bug in {frame}", Stack = WarningStack("lock_sock", "release_sock") },
            new() { Title = P(@"WARNING: lock held when returning to user space"), Kind = CrashKind.Lockdep, NoStackTrace = true,
                Report = [P(@"WARNING: lock held when returning to user space"), P(@"leaving the kernel with locks still held"), LockAt],
                Format = "WARNING: lock held when returning to user space in {1}" },
            new() { Title = P(@"WARNING: .*mm/vmalloc\.c.*__vmalloc_node"),
                Format = "WARNING: zero-size vmalloc in {frame}",
                Stack = WarningStack("vmalloc", "vzalloc", "kvmalloc", "kvzalloc", "kvcalloc") },
            new() { Title = P(@"WARNING: .*mm/.*\.c.* k?.?malloc"), Format = "WARNING: kmalloc bug in {frame}",
                Stack = WarningStack("kmalloc", "kcalloc", "kzalloc", "krealloc", "vmalloc", "slab", "kmem") },
            new() { Title = P(@"WARNING: .* usb_submit_urb"), Format = "WARNING in {frame}/usb_submit_urb",
                Stack = WarningStack("usb_submit_urb", "usb_start_wait_urb", "usb_bulk_msg", "usb_interrupt_msg", "usb_control_msg") },
            // Every generation: 2.6.26 "WARNING: at fs/buffer.c:1174 mark_buffer_dirty()" (__func__),
            // 2.6.27+ "WARNING: at <src> func+0x1/0x2()", 3.x+ "WARNING: CPU: 1 PID: 2 at <src> func+…",
            // 2025+ "WARNING: <src> at func+0x1/0x2, CPU#1: comm/2" (kernel/panic.c __warn).
            new() { Title = P(@"WARNING: (?:.* )?(?:at )?<src> (?:at )?(?:<func>|[a-zA-Z0-9_]+\(\))"), Format = "WARNING in {frame}", Stack = WarningStack() },
            new() { Title = P(@"WARNING: possible circular locking dependency detected"), Kind = CrashKind.Lockdep,
                Report = [P(@"WARNING: possible circular locking dependency detected"), P(@"is trying to acquire lock")],
                Format = "possible deadlock in {frame}",
                Stack = new([LockAt, LockAt, Trace], Skip: ["process_one_work", "flush_workqueue", "drain_workqueue", "destroy_workqueue"]) },
            new() { Title = P(@"WARNING: possible irq lock inversion dependency detected"), Kind = CrashKind.Lockdep,
                Format = "possible deadlock in {frame}", Stack = Stack(P(@"just changed the state of lock"), LockAt) },
            // The lock that became irq-safe is where the two contexts meet: its stack names the bug.
            new() { Title = P(@"WARNING: (?:HARDIRQ|SOFTIRQ)-safe -> (?:HARDIRQ|SOFTIRQ)-unsafe lock order detected"), Kind = CrashKind.Lockdep,
                Format = "possible deadlock in {frame}", Stack = Stack(P(@"which became (?:HARDIRQ|SOFTIRQ)-irq-safe at:"), Trace) },
            new() { Title = P(@"WARNING: possible recursive locking detected"), Kind = CrashKind.Lockdep,
                Format = "possible deadlock in {frame}", Stack = Stack(P(@"is trying to acquire lock"), LockAt) },
            new() { Title = P(@"WARNING: inconsistent lock state"), Kind = CrashKind.Lockdep,
                Format = "inconsistent lock state in {frame}", Stack = Stack(P(@"takes"), PcOrLockAt, Trace) },
            new() { Title = P(@"WARNING: suspicious RCU usage"), Kind = CrashKind.Lockdep,
                Report = [P(@"WARNING: suspicious RCU usage"), P(@"<src>")],
                Format = "WARNING: suspicious RCU usage in {frame}",
                Stack = CallStack("rcu", "kmem", "slab", "kmalloc", "vmalloc", "kcalloc", "kzalloc") },
            new() { Title = P(@"WARNING: kernel stack regs at [0-9a-f]+ in [^ ]* has bad '([^']+)' value"),
                Format = "WARNING: kernel stack regs has bad '{1}' value", NoStackTrace = true },
            new() { Title = P(@"WARNING: kernel stack frame pointer at [0-9a-f]+ in [^ ]* has bad value"),
                Format = "WARNING: kernel stack frame pointer has bad value", NoStackTrace = true },
            // Unprintable pointers ("(ptrval)") leave only the general shape.
            new() { Title = P(@"WARNING: kernel stack regs .* has bad 'bp' value"),
                Format = "WARNING: kernel stack regs has bad value", NoStackTrace = true },
            new() { Title = P(@"WARNING: kernel stack frame pointer .* has bad value"),
                Format = "WARNING: kernel stack regs has bad value", NoStackTrace = true },
            new() { Title = P(@"WARNING: bad unlock balance detected!"), Kind = CrashKind.Lockdep,
                Format = "WARNING: bad unlock balance in {frame}", Stack = Stack(P(@"is trying to release lock"), PcOrLockAt) },
            new() { Title = P(@"WARNING: held lock freed!"), Kind = CrashKind.Lockdep,
                Format = "WARNING: held lock freed in {frame}", Stack = Stack(PcOrLockAt) },
            new() { Title = P(@"WARNING: .*still has locks held!"), Kind = CrashKind.Lockdep,
                Format = "WARNING: still has locks held in {frame}", Stack = Stack(PcOrLockAt) },
            new() { Title = P(@"WARNING: [Nn]ested lock was not taken"), Kind = CrashKind.Lockdep,
                Format = "WARNING: nested lock was not taken in {frame}", Stack = CallStack() },
            new() { Title = P(@"WARNING:\s*$"), Format = "WARNING: corrupted", Corrupted = true },
        ],
        [P(@"WARNING: /etc/ssh/moduli does not exist"), P(@"WARNING: workqueue cpumask: online intersect > possible intersect"),
         P(@"Spectre V2 : WARNING:"), P(@"WARNING: Unprivileged eBPF")]),

        new("INFO:", CrashKind.Hang,
        [
            // Old kernels' lockdep: the lock's "at:" line names the report as printed, generic or not.
            new() { Title = P(@"INFO: possible circular locking dependency detected"), Kind = CrashKind.Lockdep,
                Report = [P(@"INFO: possible circular locking dependency detected"), P(@"is trying to acquire lock"), PcOrLockAt],
                Format = "possible deadlock in {1}" },
            new() { Title = P(@"INFO: possible irq lock inversion dependency detected"), Kind = CrashKind.Lockdep,
                Report = [P(@"INFO: possible irq lock inversion dependency detected"), P(@"just changed the state of lock"), PcOrLockAt],
                Format = "possible deadlock in {1}" },
            new() { Title = P(@"INFO: (?:HARDIRQ|SOFTIRQ)-safe -> (?:HARDIRQ|SOFTIRQ)-unsafe lock order detected"), Kind = CrashKind.Lockdep,
                Format = "possible deadlock in {frame}", Stack = Stack(P(@"which became (?:HARDIRQ|SOFTIRQ)-irq-safe at:"), Trace) },
            new() { Title = P(@"INFO: possible recursive locking detected"), Kind = CrashKind.Lockdep,
                Report = [P(@"INFO: possible recursive locking detected"), P(@"is trying to acquire lock"), PcOrLockAt],
                Format = "possible deadlock in {1}" },
            new() { Title = P(@"INFO: inconsistent lock state"), Kind = CrashKind.Lockdep,
                Format = "inconsistent lock state in {frame}", Stack = Stack(P(@"takes"), PcOrLockAt, Trace) },
            new() { Title = P(@"INFO: rcu_(?:preempt|sched|bh) (?:self-)?detected(?: expedited)? stalls?"),
                Format = "INFO: rcu detected stall in {frame}",
                Stack = new([TimerInterrupt, Rip, Trace], Fallback: [TimerInterrupt, Trace],
                    Skip: ["apic_timer_interrupt", "rcu"], Picker: FramePicker.Stall) },
            new() { Title = P(@"INFO: trying to register non-static key"), Kind = CrashKind.Lockdep,
                Format = "INFO: trying to register non-static key in {frame}", Stack = CallStack("stack", "lock", "IRQ") },
            new() { Title = P(@"INFO: suspicious RCU usage"), Kind = CrashKind.Lockdep,
                Report = [P(@"INFO: suspicious RCU usage"), P(@"<src>")],
                Format = "INFO: suspicious RCU usage in {frame}",
                Stack = CallStack("rcu", "kmem", "slab", "kmalloc", "vmalloc", "kcalloc", "kzalloc") },
            new() { Title = P(@"INFO: task .* blocked for more than [0-9]+ seconds"), Format = "INFO: task hung in {frame}",
                Stack = new([CallTrace, Trace], Picker: FramePicker.HungTask) },
            new() { Title = P(@"INFO: task .* can't die for more than .* seconds"), Format = "INFO: task can't die in {frame}",
                Stack = CallStack("schedule") },
            // Old-style KASAN reports that lost their header.
            new() { Title = P(@"INFO: (Freed|Allocated) in (.*)"), Kind = CrashKind.Sanitizer, Format = "INFO: {1} in {2}", Corrupted = true },
            new() { Title = P(@"INFO:\s*$"), Format = "INFO: corrupted", Corrupted = true },
        ],
        [P(@"INFO: lockdep is turned off"), P(@"INFO: Stall ended before state dump start"), P(@"INFO: NMI handler"),
         P(@"INFO: recovery required on readonly filesystem"), P(@"(?:handler|interrupt).*took too long"), P(@"_INFO::"),
         P(@"INFO: sys_.* is not present in /proc/kallsyms"), P(@"INFO: no syscalls can create resource")]),

        // arm and arm64 spell the x86 header differently; the title does not.
        new("Unable to handle kernel", CrashKind.Oops,
        [
            new() { Title = P(@"Unable to handle kernel (paging request|NULL pointer dereference|access to user memory)"),
                Format = "BUG: unable to handle kernel {1} in {frame}", Stack = ArmStack() },
            // s390's do_no_context (arch/s390/mm/fault.c): a bad kernel address, whatever its value.
            new() { Title = P(@"Unable to handle kernel pointer dereference in virtual (?:kernel|user) address space"),
                Format = "BUG: unable to handle kernel paging request in {frame}", Stack = ArmStack() },
        ], []),

        // kernel/watchdog_hld.c (older kernel/watchdog.c), pr_fmt "NMI watchdog: "; 6.x prefixes "CPU%u: ".
        // The CPU spins with interrupts off where the RIP is: that function, or its caller when it is a lock.
        new("Watchdog detected hard LOCKUP", CrashKind.Hang,
        [
            new() { Title = P(@"Watchdog detected hard LOCKUP"), Format = "BUG: hard lockup in {frame}", Stack = RipThenCallStack() },
        ], []),

        // rust/kernel/lib.rs: the panic handler prints the PanicInfo with pr_emerg! (module prefix
        // "rust_kernel: ") and calls BUG(). Rust 1.73+ prints "panicked at <file>:<line>:<col>:" and the
        // message on the next line, older ones "panicked at '<message>', <file>:<line>:<col>".
        // The line and column change with every edit of the file, so the title keeps only the file.
        new("rust_kernel: panicked at", CrashKind.Bug,
        [
            new() { Title = P(@"rust_kernel: panicked at '(.*)', ([^ ]+\.rs):[0-9]+"), Format = "Rust panic: {1} in {2}", NoStackTrace = true },
            new() { Title = P(@"rust_kernel: panicked at [^ ]+\.rs:[0-9]+:[0-9]+:"), NoStackTrace = true,
                Report = [P(@"rust_kernel: panicked at ([^ ]+\.rs):[0-9]+:[0-9]+:"), P(@"^(.+)$")], Format = "Rust panic: {2} in {1}" },
            new() { Title = P(@"rust_kernel: panicked at"), Format = "Rust panic", Corrupted = true },
        ], []),

        new("general protection fault", CrashKind.Oops,
        [
            new() { Title = P(@"general protection fault.*:"), Format = "general protection fault in {frame}", Stack = RipThenCallStack() },
        ], []),

        new("stack segment: ", CrashKind.Oops,
        [
            new() { Title = P(@"stack segment: "), Format = "stack segment fault in {frame}", Stack = RipThenCallStack() },
        ], []),

        new("Kernel panic", CrashKind.Panic,
        [
            // A corrupted stack may leave no symbol and no unwindable stack.
            new() { Title = P(@"Kernel panic - not syncing: stack-protector:"), NoStackTrace = true,
                Report = [P(@"Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: <func>")],
                Format = "kernel panic: stack is corrupted in {1}" },
            new() { Title = P(@"Kernel panic - not syncing: stack-protector:"),
                Report = [P(@"Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: [a-f0-9]+")],
                Format = "kernel panic: stack is corrupted in {frame}", Stack = CallStack("stack_chk") },
            new() { Title = P(@"Kernel panic - not syncing: corrupted stack end"),
                Format = "kernel panic: corrupted stack end in {frame}",
                Stack = new([CallTrace, Trace], Skip: ["schedule", "retint_kernel"], Picker: FramePicker.Stall) },
            new() { Title = P(@"Kernel panic - not syncing: kernel stack overflow"),
                Format = "kernel stack overflow in {frame}",
                Stack = new([CallTrace, Trace], Skip: ["bad_stack"], Picker: FramePicker.Stall) },
            new() { Title = P(@"Kernel panic - not syncing: Attempted to kill init!"), Format = "kernel panic: Attempted to kill init!" },
            new() { Title = P(@"Kernel panic - not syncing: Couldn't open N_TTY ldisc for [^ ]+ --- error -[0-9]+"),
                Format = "kernel panic: Couldn't open N_TTY ldisc" },
            // These follow another report; seen first, they mean its header was lost.
            new() { Title = P(@"Kernel panic - not syncing: Fatal exception"), Format = "kernel panic: Fatal exception", Corrupted = true },
            new() { Title = P(@"Kernel panic - not syncing: panic_on_warn set"), Format = "kernel panic: panic_on_warn set", Corrupted = true },
            new() { Title = P(@"Kernel panic - not syncing: hung_task: blocked tasks"), Format = "kernel panic: hung_task: blocked tasks", Corrupted = true },
            new() { Title = P(@"Kernel panic - not syncing: (.*)"), Format = "kernel panic: {1}", NoStackTrace = true },
        ], []),

        new("PANIC: double fault", CrashKind.Oops,
        [
            new() { Title = P(@"PANIC: double fault"), Format = "PANIC: double fault in {frame}", Stack = Stack(Rip) },
        ], []),

        new("kernel BUG", CrashKind.Bug,
        [
            new() { Title = P(@"kernel BUG at mm/usercopy\.c"), Format = "BUG: bad usercopy in {frame}", Stack = CallStack("usercopy", "__check") },
            new() { Title = P(@"kernel BUG at lib/list_debug\.c"), Format = "BUG: corrupted list in {frame}", Stack = RipThenCallStack() },
            new() { Title = P(@"kernel BUG"), Format = "kernel BUG in {frame}", Stack = RipThenCallStack() },
        ], []),

        new("Kernel BUG", CrashKind.Bug,
        [
            new() { Title = P(@"Kernel BUG (.*)"), Format = "kernel BUG {1}", NoStackTrace = true },
        ], []),

        new("BUG kmalloc-", CrashKind.Bug,
        [
            new() { Title = P(@"BUG kmalloc-.*: Object already free"), Format = "BUG: Object already free" },
        ], []),

        new("divide error:", CrashKind.Oops,
        [
            new() { Title = P(@"divide error: "), Format = "divide error in {frame}", Stack = Stack(Rip) },
        ], []),

        // Newer kernels spell the trap with an underscore.
        new("divide_error:", CrashKind.Oops,
        [
            new() { Title = P(@"divide_error: "), Format = "divide error in {frame}", Stack = Stack(Rip) },
        ], []),

        new("invalid opcode:", CrashKind.Oops,
        [
            new() { Title = P(@"invalid opcode: "), Format = "invalid opcode in {frame}", Stack = Stack(Rip) },
        ], []),

        new("Internal error:", CrashKind.Oops,
        [
            new() { Title = P(@"Internal error: "), Format = "Internal error in {frame}", Stack = ArmStack() },
        ], []),

        new("Unhandled fault", CrashKind.Oops,
        [
            new() { Title = P(@"Unhandled fault"), Format = "Unhandled fault in {frame}", Stack = ArmStack() },
        ], []),

        new("Alignment trap:", CrashKind.Oops,
        [
            new() { Title = P(@"Alignment trap: "), Format = "Alignment trap in {frame}", Stack = ArmStack() },
        ], []),

        new("UBSAN:", CrashKind.Sanitizer,
        [
            new() { Title = P(@"UBSAN: Undefined behaviour in"), Format = "UBSAN: undefined-behaviour in {frame}",
                Stack = CallStack("ubsan", "overflow") },
            new() { Title = P(@"UBSAN: ([a-z\-]+) in"), Format = "UBSAN: {1} in {frame}", Stack = CallStack("ubsan", "overflow") },
        ], []),

        new("Booting the kernel.", CrashKind.Reboot,
        [
            new() { Title = P(@"Booting the kernel\."), Format = "unexpected kernel reboot", NoStackTrace = true },
        ], []),

        new("unregister_netdevice: waiting for", CrashKind.Hang,
        [
            new() { Title = P(@"unregister_netdevice: waiting for (?:.*) to become free"),
                Format = "unregister_netdevice: waiting for DEV to become free", NoStackTrace = true },
        ], []),

        new("VFS: Close: file count is 0", CrashKind.Bug,
        [
            new() { Title = P(@"VFS: Close: file count is 0"), Format = "VFS: Close: file count is zero (use-after-free)", NoStackTrace = true },
        ], []),

        new("VFS: Busy inodes after unmount", CrashKind.Bug,
        [
            new() { Title = P(@"VFS: Busy inodes after unmount"), Format = "VFS: Busy inodes after unmount (use-after-free)", NoStackTrace = true },
        ], []),

        new("trusty: panic", CrashKind.Panic,
        [
            new() { Title = P(@"trusty: panic.* ASSERT FAILED"), NoStackTrace = true,
                Report = [P(@"trusty: panic \(.*?\):(?: DEBUG)? ASSERT FAILED at \(.*?\): (.+)")],
                Format = "trusty: ASSERT FAILED: {1}" },
            new() { Title = P(@"trusty: panic.* ASSERT FAILED.*: *(.*)"), Format = "trusty: ASSERT FAILED: {1}", Corrupted = true },
            new() { Title = P(@"trusty: panic"), Report = [P(@"trusty: panic \(.*?\): (.+)")],
                Format = "trusty: panic: {1}", NoStackTrace = true },
        ], []),

        new("SYZFAIL:", CrashKind.UserSpace,
        [
            new() { Title = P(@"SYZFAIL:(.*)"), Format = "SYZFAIL:{1}", NoStackTrace = true },
        ], []),

        new("SYZFATAL:", CrashKind.UserSpace,
        [
            new() { Title = P(@"SYZFATAL:(.*)"), Format = "SYZFATAL:{1}", NoStackTrace = true },
        ], []),

        new("panic:", CrashKind.UserSpace,
        [
            new() { Title = P(@"panic: Sentry detected .* stuck task"), Format = "panic: Sentry detected stuck tasks", NoStackTrace = true },
            new() { Title = P(@"panic:(.*)"), Format = "panic:{1}", NoStackTrace = true },
        ],
        [P(@"_panic:"), P(@"xlog_status:"), P(@"ddb\.onpanic:"), P(@"evtlog_status:")]),

        // The OOM killer is not a kernel bug: it only names a report when nothing worse is in the log.
        new("invoked oom-killer:", CrashKind.Oom,
        [
            new() { Title = P(@"invoked oom-killer:"), Format = "out of memory in {frame}",
                Stack = CallStack("oom", "out_of_memory", "dump_header", "alloc", "page_cache_", "pagecache_") },
        ], []),

        new("Out of memory: Kill", CrashKind.Oom,
        [
            new() { Title = P(@"Out of memory: Kill"), Format = "out of memory", NoStackTrace = true },
        ], []),

        new("fatal error:", CrashKind.UserSpace,
        [
            new() { Title = P(@"fatal error:"), Format = "go runtime error", NoStackTrace = true },
        ],
        [P(@"ALSA"), P(@"fatal error: cannot create timer")]),
    ];

    /// <summary>Lines that start a report yet may sit inside another one (a panic after an oops).</summary>
    public static readonly Pattern[] NotASecondReport =
    [
        P(@"invalid opcode: 0000"), P(@"Kernel panic - not syncing"), P(@"unregister_netdevice: waiting for"),
        P(@"PANIC: double fault"), P(@"Internal error:"),
        // The BUG() a Rust panic ends in (rust/helpers/bug.c, earlier rust/helpers.c).
        P(@"kernel BUG at rust/helpers"),
    ];

    /// <summary>Informational messages that carry a stack; inside a report they mean two stacks got mixed.</summary>
    public static readonly string[] InfoWithStack =
        ["vmalloc: allocation failure:", "FAULT_INJECTION: forcing a failure", "FAULT_FLAG_ALLOW_RETRY missing"];
}
