using Netoops.Analysis.Tests.Samples;

namespace Netoops.Analysis.Tests;

public class TitleTests
{
    [Fact]
    public void A_module_warning_is_titled_after_the_function_that_warned()
    {
        var report = CrashAnalyzer.Analyze(Reports.ModuleWarning)!;
        Assert.Equal("WARNING in provoke_warn", report.Title);
        Assert.Equal(CrashKind.Warn, report.Kind);
        Assert.False(report.Corrupted);
    }

    [Fact]
    public void A_general_protection_fault_is_titled_after_the_faulting_function_and_skips_other_callers_lines()
    {
        var report = CrashAnalyzer.Analyze(Reports.GeneralProtectionFault)!;
        Assert.Equal("general protection fault in move_page_tables", report.Title);
        Assert.DoesNotContain(report.Text, l => l.Contains("hrtimer"));
        Assert.Equal(CrashKind.Oops, report.Kind);
    }

    [Fact]
    public void A_jump_to_null_is_titled_after_the_caller_not_the_bad_rip_notice()
    {
        var report = CrashAnalyzer.Analyze("""
            BUG: unable to handle kernel NULL pointer dereference at 0000000000000000
            Oops: 0010 [#1] SMP KASAN
            CPU: 1 PID: 4557 Comm: syz-executor307 Not tainted 4.17.0+ #89
            RIP: 0010:          (null)
            Code: Bad RIP value.
            RSP: 0018:ffff8801afb4f3a0 EFLAGS: 00010246
            Call Trace:
             ? smc_poll+0x211/0xdd0
             sock_poll+0x1d1/0x710
             ep_item_poll.isra.15+0x11e/0x3c0
             do_syscall_64+0x1b1/0x800
            """)!;
        Assert.Equal("BUG: unable to handle kernel NULL pointer dereference in sock_poll", report.Title);
    }

    [Fact]
    public void An_arm64_hung_task_with_its_call_trace_is_not_corrupted()
    {
        var report = CrashAnalyzer.Analyze("""
            INFO: task syz-fuzzer:4433 blocked for more than 143 seconds.
                  Not tainted 5.9.0 #15
            task:syz-fuzzer      state:D stack:    0 pid: 4433 ppid:  4402 flags:0x00000001
            Call trace:
             __switch_to+0x210/0x450
             __schedule+0x894/0x1eb8
             schedule+0xac/0x228
             rwsem_down_write_slowpath+0x604/0xc98
             down_write+0x134/0x1f0
             register_netdevice_notifier+0x38/0x238
             bcm_init+0x144/0x1b8
             __arm64_sys_socket+0x70/0xa8
            """)!;
        Assert.Equal("INFO: task hung in register_netdevice_notifier", report.Title);
        Assert.False(report.Corrupted);
    }

    [Fact]
    public void An_arm_fault_with_its_backtrace_is_not_corrupted()
    {
        var report = CrashAnalyzer.Analyze("""
            Unhandled fault: page domain fault (0x81b) at 0x00001044
            Internal error: : 81b [#1] SMP ARM
            CPU: 0 PID: 22499 Comm: syz-executor1 Not tainted 4.17.0-rc1+ #11
            PC is at memset+0x30/0xa8
            LR is at   (null)
            Backtrace:
            [<80b10c70>] (memset) from [<8062eec8>] (n_tty_set_termios+0x154/0x3c4)
            [<8062eec8>] (n_tty_set_termios) from [<80632588>] (tty_set_termios+0x1bc/0x230)
            [<80632588>] (tty_set_termios) from [<80632c94>] (set_termios+0x198/0x3f8)
            [<80632c94>] (set_termios) from [<80633598>] (tty_mode_ioctl+0x640/0x698)
            """)!;
        Assert.Equal("Unhandled fault in n_tty_set_termios", report.Title);
        Assert.False(report.Corrupted);
    }

    [Fact]
    public void A_kasan_report_skips_sanitizer_frames_and_names_the_access()
    {
        var report = CrashAnalyzer.Analyze(Reports.KasanUseAfterFree)!;
        Assert.Equal("KASAN: use-after-free Read in tcp_v4_rcv", report.Title);
        Assert.Equal("KASAN-USE-AFTER-FREE-READ", report.Type);
        Assert.Equal(CrashKind.Sanitizer, report.Kind);
    }

    [Fact]
    public void A_task_hung_on_the_rtnl_lock_is_bucketed_on_the_lock()
    {
        var report = CrashAnalyzer.Analyze(Reports.HungTask)!;
        Assert.Equal("INFO: task hung in rtnl_lock", report.Title);
        Assert.Equal("hang in rtnl_lock", report.Bucket);
        Assert.Equal(CrashKind.Hang, report.Kind);
    }

    [Fact]
    public void A_kernel_panic_alone_is_titled_with_its_reason_and_numbers_normalised()
    {
        var report = CrashAnalyzer.Analyze("[    2.1] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\n")!;
        Assert.Equal("kernel panic: VFS: Unable to mount root fs on unknown-block(NUM,NUM)", report.Title);
        Assert.Equal(CrashKind.Panic, report.Kind);
    }

    [Fact]
    public void A_report_without_its_stack_is_marked_corrupted()
    {
        var report = CrashAnalyzer.Analyze("""
            [   10.0] BUG: unable to handle kernel paging request at ffffffffff600000
            [   10.1] Oops: 0000 [#1] SMP
            """)!;
        Assert.True(report.Corrupted);
        Assert.Equal("BUG: unable to handle kernel paging request in corrupted", report.Title);
    }

    [Fact]
    public void A_lockdep_circular_dependency_is_a_possible_deadlock_in_the_acquiring_function()
    {
        var report = CrashAnalyzer.Analyze("""
            ======================================================
            WARNING: possible circular locking dependency detected
            6.1.0 #1 Not tainted
            ------------------------------------------------------
            syz-executor.1/9001 is trying to acquire lock:
            ffff88801a2b3c40 (&tty->ldisc_sem){++++}-{0:0}, at: tty_buffer_flush+0x7a/0x2a0
            
            but task is already holding lock:
            ffff88801a2b3d50 (&buf->lock){+.+.}-{3:3}, at: tty_buffer_flush+0x4c/0x2a0
            
            stack backtrace:
            CPU: 0 PID: 9001 Comm: syz-executor.1 Not tainted 6.1.0 #1
            Call Trace:
             <TASK>
             dump_stack_lvl+0x8b/0xb3
             check_noncircular+0x263/0x2e0
             __lock_acquire+0x2a2e/0x5b00
             lock_acquire+0x1a2/0x510
             tty_buffer_flush+0x7a/0x2a0
             </TASK>
            """)!;
        Assert.Equal("possible deadlock in tty_buffer_flush", report.Title);
        Assert.Equal(CrashKind.Lockdep, report.Kind);
    }

    // An RCU stall's header and the timer interrupt that caught the CPU; the interrupted stack follows.
    private const string RcuStallCaughtByTheTimer = """
            rcu: INFO: rcu_preempt self-detected stall on CPU
            rcu: 	0-....: (10500 ticks this GP) idle=ec2/1/0x4000000000000000
            NMI backtrace for cpu 0
            CPU: 0 PID: 5123 Comm: syz-executor.2 Not tainted 6.1.0 #1
            Call Trace:
             <IRQ>
             dump_stack_lvl+0x8b/0xb3
             rcu_sched_clock_irq+0x1b5/0x1e30
             update_process_times+0x129/0x170
             __sysvec_apic_timer_interrupt+0x151/0x470
             sysvec_apic_timer_interrupt+0x8b/0xb0
             </IRQ>
             <TASK>
             asm_sysvec_apic_timer_interrupt+0x16/0x20
            """ + "\n";

    [Fact]
    public void An_rcu_stall_names_the_function_above_the_dispatcher_it_entered_through()
    {
        var report = CrashAnalyzer.Analyze(RcuStallCaughtByTheTimer + """
            RIP: 0010:hash_netport6_test+0x2a/0x300
            RSP: 0018:ffffc90003d07818 EFLAGS: 00000246
             ip_set_test+0x16f/0x6a0
             ip_set_utest+0x3ef/0x650
             nfnetlink_rcv_msg+0x9ba/0xe80
             netlink_rcv_skb+0x153/0x420
             netlink_unicast+0x542/0x820
             netlink_sendmsg+0x924/0xe30
             sock_sendmsg+0xcf/0x120
             ____sys_sendmsg+0x6eb/0x810
             __sys_sendmsg+0xf3/0x1c0
             do_syscall_64+0x35/0xb0
             </TASK>
            """)!;
        // nfnetlink dispatches to many subsystems: the function it called tells them apart.
        Assert.Equal("INFO: rcu detected stall in ip_set_utest", report.Title);
        Assert.Equal("stall in ip_set_utest", report.Bucket);
    }

    [Theory]
    [InlineData("netlink_dump", "devlink_nl_port_get_dumpit")]
    [InlineData("__hrtimer_run_queues", "hwsim_beacon")]
    [InlineData("new_sync_read", "ext4_file_read_iter")]
    public void A_stall_entered_through_a_callback_dispatcher_names_the_callback(string dispatcher, string callback)
    {
        var report = CrashAnalyzer.Analyze(RcuStallCaughtByTheTimer + $"""
            RIP: 0010:xa_find+0x2a/0x300
            RSP: 0018:ffffc90003d07818 EFLAGS: 00000246
             spin_in_a_loop+0x16f/0x6a0
             {callback}+0x3ef/0x650
             {dispatcher}+0x9ba/0xe80
             some_generic_layer+0x153/0x420
             netlink_sendmsg+0x924/0xe30
             sock_sendmsg+0xcf/0x120
             do_syscall_64+0x35/0xb0
             </TASK>
            """)!;
        Assert.Equal($"INFO: rcu detected stall in {callback}", report.Title);
    }

    [Fact]
    public void Arm_backtraces_name_the_function_after_the_generic_ones()
    {
        var report = CrashAnalyzer.Analyze("""
            Unhandled fault: page domain fault (0x81b) at 0x00001044
            Internal error: : 81b [#1] SMP ARM
            CPU: 0 PID: 22499 Comm: syz-executor1 Not tainted 4.17.0-rc1+ #11
            Hardware name: ARM-Versatile Express
            PC is at memset+0x30/0xa8
            LR is at   (null)
            Backtrace:
            [<80b10c70>] (memset) from [<8062eec8>] (n_tty_set_termios+0x154/0x3c4)
            [<8062eec8>] (n_tty_set_termios) from [<80632588>] (tty_set_termios+0x1bc/0x230)
            """)!;
        Assert.Equal("Unhandled fault in n_tty_set_termios", report.Title);
        Assert.Equal("bad-access in n_tty_set_termios", report.Bucket);
    }

    [Theory]
    [InlineData("[    1.0] WARNING: /etc/ssh/moduli does not exist, using fixed modulus")]
    [InlineData("[    1.0] Spectre V2 : WARNING: Unprivileged eBPF is enabled with eIBRS on")]
    [InlineData("[    1.0] ODEBUG: object is on stack, but not annotated")]
    [InlineData("[    1.0] INFO: lockdep is turned off.")]
    [InlineData("[    1.0] skbuff: skb_over_panic: text:ffffffff")]
    public void Lines_that_merely_look_like_headers_are_not_crashes(string line)
    {
        Assert.Null(CrashAnalyzer.Analyze(line));
    }

    [Fact]
    public void A_warning_that_leads_to_a_panic_keeps_its_own_title()
    {
        var text = Reports.ModuleWarning.Replace("---[ end trace 0000000000000000 ]---",
            "Kernel panic - not syncing: panic_on_warn set ...");
        Assert.Equal("WARNING in provoke_warn", CrashAnalyzer.Analyze(text)!.Title);
    }

    [Fact]
    public void An_oom_kill_alone_is_reported_but_is_not_a_bug()
    {
        var report = CrashAnalyzer.Analyze(Reports.OomKill)!;
        Assert.Equal(CrashKind.Oom, report.Kind);
        Assert.False(report.IsBug);
        Assert.Equal("out of memory in do_anonymous_page", report.Title);
    }

    [Fact]
    public void A_bug_after_an_oom_kill_is_the_report()
    {
        var report = CrashAnalyzer.Analyze(Reports.OomKill + "\n" + Reports.ModuleWarning)!;
        Assert.True(report.IsBug);
        Assert.Equal("WARNING in provoke_warn", report.Title);
    }
}
