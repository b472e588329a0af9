namespace Netoops.Analysis;

/// <summary>
/// Function-name fragments that never name a bug: the machinery a report runs through on its way
/// to the console. Titling skips them and names the first frame that is left, so two reports of
/// one bug reached through different helpers still share a title.
/// </summary>
internal static class FrameSkips
{
    public static readonly string[] Generic =
    [
        // Sanitizer runtimes and the report printers they call.
        "__sanitizer", "__asan", "kasan", "__msan", "kmsan", "kcsan", "kfence", "check_memory_region",
        "read_word_at_a_time", "print_address_description", "print_report", "dump_stack", "show_stack",
        "dump_backtrace", "unwind_backtrace", "stack_trace_", "ref_tracker", "arch_stack_walk", "walk_stackframe",
        // Panic, trap and warning plumbing.
        "panic", "invalid_op", "report_bug", "fixup_bug", "do_error", "_trap", "handle_bug",
        "warn_slowpath", "warn_alloc", "__warn", "^warn_", "print_tainted", "check_panic_on_warn", "debug_object", "^debug_print_object", "timer_is_static_object",
        "work_is_static_object", "ubsan",
        // Locking and lockdep.
        "lockdep", "lock_acquire", "lock_release", "lock_class", "reacquire_held_locks", "spin_lock",
        "spin_trylock", "spin_unlock", "raw_read_lock", "raw_read_trylock", "raw_write_lock",
        "raw_write_trylock", "local_bh_enable", "__seqprop", "down", "down_read", "down_write", "down_read_trylock", "down_write_trylock",
        "up_read", "up_write",
        "mark_lock", "mark_held_locks", "mutex_lock", "mutex_trylock", "mutex_unlock", "mutex_remove_waiter", "osq_lock", "osq_unlock",
        "rt_mutex", "rwsem", "__wake_up", "perf_trace", "mutex_optimistic_spin", "mutex_spin_on_owner",
        // Preemption debugging that fires on behalf of its caller.
        "__this_cpu_preempt_check", "debug_smp_processor_id", "check_preemption_disabled",
        // Reference counting.
        "refcount_add", "refcount_sub", "refcount_inc", "refcount_dec", "refcount_set", "refcount_read",
        "refcount_warn",
        // mem*/str* helpers and user copies.
        "memcpy", "memcmp", "memset", "memchr", "memmove", "strcmp", "strncmp", "strcpy", "strlcpy",
        "strncpy", "strscpy", "strlen", "strnstr", "strnlen", "strchr", "strstr", "__read_once", "copy_to_user", "copy_from_user",
        "copy_to_iter", "copy_from_iter", "copy_page_to_iter", "copy_page_from_iter", "put_user", "get_user", "might_fault", "might_sleep",
        "__might_resched", "_copy_to", "_copy_from", "memdup_user", "strndup_user", "vmemdup_user",
        // List debugging.
        "list_add", "list_del", "list_replace", "list_move", "list_splice",
        // Retpolines and formatting.
        "_indirect_thunk_", "string", "pointer", "snprintf", "scnprintf", "kasprintf", "kvasprintf",
        "printk", "va_format", "dev_info", "dev_notice", "dev_warn", "dev_err", "dev_alert", "dev_crit",
        "dev_emerg", "program_check_exception", "program_check_common",
        // Generic teardown paths that only pass the bug along.
        "del_timer", "flush_work", "__cancel_work_timer", "cancel_work_sync", "try_to_grab_pending",
        "flush_workqueue", "drain_workqueue", "destroy_workqueue", "queue_work", "insert_work", "queue_delayed_work", "finish_wait", "kthread_stop",
        "kobject_del", "kobject_put", "kobject_set_name", "kobject_add", "kobject_init_and_add", "^iput$", "kobject_uevent_env", "add_uevent_var", "get_device_parent",
        "device_add", "device_del", "device_unregister", "device_destroy", "device_release",
        "devres_release_all", "hwrng_unregister", "i2c_del_adapter", "__unregister_client",
        "device_for_each_child", "rollback_registered", "unregister_netdev", "sysfs_remove",
        "device_remove_file", "tty_unregister_device", "dummy_urb_enqueue", "usb_kill_urb",
        "usb_kill_anchored_urbs", "usb_control_msg", "usb_hcd_submit_urb", "usb_submit_urb",
        "^complete$", "wait_for_completion", "^kfree$", "kfree_skb", "^kvfree$",
        // Allocators: the caller asked for the memory.
        "^kmem_cache_alloc", "^__kmem_cache_alloc", "^kmalloc", "^__kmalloc", "^krealloc", "^__alloc_pages",
        "^alloc_page", "^__get_free_pages", "^kvmalloc", "^__vmalloc", "^vmalloc", "^vzalloc", "^free_large_kmalloc",
        "^slab_alloc", "^kmem_cache_free", "^__kmem_cache_free",
        // Socket buffer helpers whose checks fire on the caller's behalf.
        "^skb_put", "^skb_push", "^skb_pull", "^__skb_pull", "skb_over_panic", "skb_under_panic",
        // Library helpers: trees, lists, hashes, checksums, hex dumps, I/O accessors, atomics.
        "^rb_", "^__rb_", "^klist_", "^xas_", "^crc", "^hex_", "print_hex_dump", "^__raw_read", "^__raw_write",
        "^logic_in", "^logic_out", "^_atomic_",
        // arm64 exception entry on the way to the faulting function.
        "^__do_kernel_fault", "^do_tag_check_fault", "^do_mem_abort", "^el1_", "^el1h_",
        "^atomic_", "^arch_atomic", "^__atomic",

        // The classes below come from reading reports of kernels the corpus does not hold; each
        // names functions that only carry out a request or a check for their caller.
        // Allocation profiling (6.10+, include/linux/alloc_tag.h) renames every allocator entry
        // point to *_noprof; the caller asked for the memory either way.
        "_noprof$", "^kmem_cache_alloc_node", "^__kmalloc_node", "^kmalloc_trace", "^kmalloc_node",
        // Page allocator and folio helpers (mm/page_alloc.c, mm/swap.c, include/linux/mm.h):
        // bad_page() and the free path report a page the caller handed back broken.
        "^bad_page", "^free_unref_page", "^free_unref_folio", "^free_pcp_prepare", "^free_pages_prepare",
        "^free_page_is_bad", "^__free_pages", "^__free_page$", "^free_pages$", "^__folio_put", "^folio_put",
        "^put_page$", "^__put_page", "^release_pages", "^folios_put", "^__page_cache_release",
        // Reference counting and list-debug checks (lib/refcount.c, lib/list_debug.c).
        "^__refcount_", "^__list_add_valid", "^__list_del_entry_valid", "^list_debug",
        // Timer dispatch (kernel/time/timer.c, hrtimer.c): calls the expired callback and nothing else.
        "^call_timer_fn", "^expire_timers", "^__run_hrtimer$",
        // IDA/IDR and kobject bookkeeping (lib/idr.c, lib/kobject.c).
        "^ida_alloc", "^ida_free", "^ida_simple_", "^ida_destroy", "^idr_alloc", "^idr_remove", "^kobject_",
        // Fortified string functions and hardened usercopy (lib/string_helpers.c __fortify_report,
        // mm/usercopy.c): the overflow is the caller's.
        "fortify_", "^__memcpy_chk", "^__memset_chk", "^__strcpy_chk", "^__check_object_size",
        "^check_object_size", "^check_heap_object", "^__check_heap_object", "^usercopy_abort", "^usercopy_warn",
        // dcache and buffer-head helpers (fs/dcache.c, fs/buffer.c): they act on the entry or buffer the
        // filesystem gave them; a hung or warning one names that filesystem.
        "^dput$", "^__dentry_kill", "^dentry_kill", "^d_instantiate", "^shrink_dcache_", "^__d_alloc", "^d_alloc$",
        "^sync_buffer$", "^__wait_on_buffer", "^wait_on_buffer", "^mark_buffer_dirty", "^__getblk", "^__bread",
        "^__brelse", "^submit_bh", "^__sync_dirty_buffer", "^sync_dirty_buffer", "^__block_write_full_page",
        "wait_on_bit", "^bit_wait",
        // irq-state tracing and the physical-address debug check (kernel/trace/trace_preemptirq.c,
        // arch/x86/mm/physaddr.c): they fire on their caller's bad state or bad pointer.
        "^trace_hardirqs_", "^trace_irq_", "^__phys_addr", "^__virt_addr_valid",
    ];

    /// <summary>
    /// Frames any CPU shows whatever it was doing: the scheduler, the console driver printing the
    /// report itself, interrupt and IPI entry, the idle loop, kernel-thread and syscall entry. Fine
    /// inside a whole stack, they tell nothing about which bug a damaged report belongs to.
    /// </summary>
    public static readonly string[] Ambient =
    [
        "schedule", "^__switch_to", "^context_switch", "^finish_task_switch",
        "serial8250", "wait_for_xmitr", "serial_in", "serial_out", "^uart_", "console", "printk", "^vprintk", "^_printk",
        // CPU instruction wrappers (arch/x86/include/asm/special_insns.h, paravirt "native_" ops).
        "^native_", "^default_idle", "^arch_cpu_idle",
        "_interrupt", "^irq_", "^__irq_", "^do_IRQ", "^handle_irq", "^handle_edge_irq", "^handle_level_irq", "^__handle_irq",
        "^asm_", "^sysvec_", "^do_softirq", "^__do_softirq", "^do_nmi", "^nmi_", "^default_do_nmi", "^exc_",
        "idle", "^cpu_startup_entry", "^start_secondary", "^secondary_startup", "^rest_init", "^start_kernel",
        "^kthread", "^ret_from_fork", "^worker_thread", "^process_one_work", "^smpboot_thread_fn",
        "^do_syscall_", "^entry_SYSCALL", "^el0_", "^invoke_syscall", "^ret_fast_syscall",
        "^0x",
    ];

    /// <summary>
    /// Source locations of machinery, for reports that print them (<c>func+0x1/0x2 mm/slub.c:123</c>,
    /// syzkaller's decoded traces, <c>scripts/decode_stacktrace.sh</c>): a frame in one of these files
    /// or directories never names a bug, whatever the function is called.
    /// </summary>
    public static readonly string[] MachineryPlaces =
    [
        "mm/slub.c", "mm/slab.c", "mm/slab_common.c", "mm/page_alloc.c", "mm/kasan/", "mm/kmsan/", "mm/kfence/",
        "mm/usercopy.c", "mm/util.c", "mm/vmalloc.c", "lib/list_debug.c", "lib/refcount.c", "lib/string.c",
        "lib/string_helpers.c", "lib/usercopy.c", "lib/dump_stack.c", "lib/bug.c", "lib/idr.c", "lib/kobject.c",
        "lib/debugobjects.c", "lib/vsprintf.c", "kernel/panic.c", "kernel/printk/", "kernel/locking/",
        "kernel/kcsan/", "kernel/stacktrace.c", "kernel/trace/trace_preemptirq.c", "arch/x86/mm/physaddr.c",
        "include/linux/fortify-string.h", "include/linux/slab.h", "include/linux/refcount.h", "include/linux/list.h",
        "include/linux/instrumented.h", "include/linux/atomic/", "include/asm-generic/", "include/linux/spinlock",
        "include/linux/rwlock", "include/linux/kasan", "include/linux/kmsan", "include/linux/uaccess.h",
    ];

    /// <summary>Whether a stack line shows a source location inside <see cref="MachineryPlaces"/>.</summary>
    public static bool IsMachineryPlace(ReadOnlySpan<char> line)
    {
        // The location is the token after the frame: "func+0x1/0x2 mm/slub.c:123" or "func mm/slub.c:123 [inline]".
        int colon = line.LastIndexOf(".c:");
        if (colon < 0)
            colon = line.LastIndexOf(".h:");
        if (colon < 0)
            return false;
        int start = line[..colon].LastIndexOf(' ') + 1;
        var path = line[start..(colon + 2)];
        foreach (var place in MachineryPlaces)
            if (path.StartsWith(place, StringComparison.Ordinal))
                return true;
        return false;
    }

    /// <summary>
    /// Wrapper prefixes that differ between architectures and kernel versions for one syscall
    /// (<c>__x64_sys_bpf</c> is <c>sys_bpf</c>; <c>__se_sys_bpf</c>, <c>SyS_bpf</c>, arm's <c>sys_bpf</c> are <c>bpf</c>): the shortest single strip is kept.
    /// </summary>
    public static readonly string[] WrapperPrefixes =
        ["SYSC_", "SyS_", "sys_", "__x64_", "__ia32_", "__arm64_", "____sys_", "___sys_", "__sys_", "__se_",
         "__se_sys_", "__do_sys_", "compat_SYSC_", "compat_SyS_", "ksys_"];

    public static string StripWrapper(string frame)
    {
        var best = frame;
        foreach (var prefix in WrapperPrefixes)
            if (frame.StartsWith(prefix, StringComparison.Ordinal) && frame.Length - prefix.Length < best.Length
                && frame.Length > prefix.Length)
                best = frame[prefix.Length..];
        return best;
    }
}
