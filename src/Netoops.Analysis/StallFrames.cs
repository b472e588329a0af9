namespace Netoops.Analysis;

/// <summary>
/// Picking the frame for stalls and hangs. A stalled CPU is caught at a random point of the loop it
/// spins in, so its top frame differs from report to report of one bug. Instead, find the place
/// the work entered the kernel (a syscall, a work item, a timer, a file operation: the anchors)
/// and name the frame just above it, which is stable.
/// </summary>
internal static class StallFrames
{
    private static readonly FrameFilter Anchor = new(
    [
        // Generic dispatchers of work.
        "process_one_work", "do_syscall_", "do_fast_syscall_", "sysenter_dispatch", "tracesys_phase2",
        "netif_receive_skb", "do_softirq", "call_timer_fn", "_run_timers", "run_timer_softirq",
        "run_ksoftirqd", "smpboot_thread_fn", "^kthread$", "start_secondary", "cpu_startup_entry",
        "__run_hrtimer", "__hrtimer_run_queues", "tasklet_action_common", "^tasklet_action$", "tasklet_hi_action",
        "ret_from_fork",
        // File operations, where the callback tells the driver or protocol apart.
        "vfs_write", "vfs_read", "vfs_iter_read", "vfs_iter_write", "do_iter_read", "do_iter_write",
        "vfs_ioctl", "ksys_ioctl", "compat_ioctl", "compat_sys_ioctl", "blkdev_driver_ioctl", "blkdev_ioctl",
        "^call_read_iter", "^call_write_iter", "^new_sync_read$", "^new_sync_write$", "do_iter_readv_writev", "^call_mmap", "mmap_region",
        "do_mmap", "do_dentry_open", "vfs_open",
        // Socket operations.
        "^sock_sendmsg", "^sock_recvmsg", "^sock_release", "^__sock_release", "__sys_setsockopt",
        "kernel_setsockopt", "sock_common_setsockopt", "__sys_listen", "kernel_listen", "sk_common_release",
        "^sock_mmap", "__sys_accept", "kernel_accept", "^sock_do_ioctl", "^sock_ioctl", "^compat_sock_ioctl",
        "^nfnetlink_rcv_msg", "^rtnetlink_rcv_msg", "^netlink_dump$",
        "_sys_socketpair", "_sys_connect", "_sys_ioctl", "SYSC_socketpair", "SYSC_connect", "SYSC_ioctl",
        "SyS_socketpair", "SyS_connect", "SyS_ioctl",
        // The work done on the way back to user space.
        "__fput", "task_work_run",
        "exit_to_usermode", "exit_to_user_mode", "smp_call_function",
        // arm's and arm64's syscall entry.
        "ret_fast_syscall", "invoke_syscall", "el0_svc_handler", "el0_svc_common", "do_el0_svc",
    ]);

    // Page fault entry: an anchor only when the fault came from user space. A fault taken while a
    // syscall copies user memory belongs to that syscall, whose own anchor lies further down.
    private static readonly FrameFilter FaultAnchor = new(["__do_fault", "handle_mm_fault", "do_page_fault", "^page_fault$"]);

    public static string Pick(IEnumerable<string> frames)
    {
        var list = frames as IReadOnlyList<string> ?? frames.ToList();
        var picked = PickAbove(list, Anchor);
        return picked.Length > 0 ? picked : PickAbove(list, FaultAnchor);
    }

    private static string PickAbove(IReadOnlyList<string> frames, FrameFilter anchors)
    {
        string? previous = null;
        foreach (var frame in frames)
        {
            previous ??= frame;
            if (anchors.Skips(frame))
            {
                // Many callers reach smp_call_function; it is the stable name itself.
                if (frame.Contains("smp_call_function", StringComparison.Ordinal))
                    previous = "smp_call_function";
                return FrameSkips.StripWrapper(previous);
            }
            previous = frame;
        }
        return "";
    }

    // Hung tasks wait on behalf of someone else: two waits are so common that they get one bucket each.
    private static readonly (string Anchor, string Name)[] HangAnchors =
    [
        ("rtnl_lock", "rtnl_lock"), ("synchronize_rcu", "synchronize_rcu"), ("synchronize_srcu", "synchronize_rcu"),
        ("synchronize_net", "synchronize_rcu"), ("synchronize_sched", "synchronize_rcu"),
    ];

    private static readonly string[] WaitingFrames =
        ["sched", "_lock", "_slowlock", "down", "rwsem", "completion", "kthread", "wait", "synchronize",
         "context_switch", "__switch_to", "cancel_delayed_work", "rcu_barrier"];

    public static string PickHung(List<string> frames)
    {
        foreach (var frame in frames)
            foreach (var (anchor, name) in HangAnchors)
                if (frame.Contains(anchor, StringComparison.Ordinal))
                    return anchor == "rtnl_lock" ? FrameSkips.StripWrapper(frame) : name;
        foreach (var frame in frames)
        {
            if (!WaitingFrames.Any(w => frame.Contains(w, StringComparison.Ordinal)))
                return FrameSkips.StripWrapper(frame);
        }
        return "";
    }
}
