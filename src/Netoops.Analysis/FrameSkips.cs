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
        "warn_slowpath", "warn_alloc", "__warn", "^warn_", "print_tainted", "check_panic_on_warn", "debug_object", "timer_is_static_object",
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
    ];

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
