using Netoops.Agent.Crash;
using Netoops.Analysis;

namespace Netoops.Agent.Tests.Crash;

public class CrashWatchTests
{
    public static readonly string[] Oops =
    [
        "[   12.000001] BUG: kernel NULL pointer dereference, address: 0000000000000000",
        "[   12.000002] #PF: supervisor write access in kernel mode",
        "[   12.000003] Oops: 0002 [#1] PREEMPT SMP NOPTI",
        "[   12.000004] CPU: 0 PID: 141 Comm: sh Tainted: G           OE      6.1.0-56-cloud-amd64 #1 Debian 6.1.192-2",
        "[   12.000005] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014",
        "[   12.000006] RIP: 0010:provoke_oops+0x11/0x20 [provoke]",
        "[   12.000007] Code: 00 00 00 00",
        "[   12.000008] RSP: 0018:ffffd33b0059bd08 EFLAGS: 00010246",
        "[   12.000009] RAX: 0000000000000001 RBX: 0000000000000002 RCX: 0000000000000003",
        "[   12.000010] RDX: 0000000000000004 RSI: 0000000000000005 RDI: 0000000000000006",
        "[   12.000011] RBP: 0000000000000007 R08: 0000000000000008 R09: 0000000000000009",
        "[   12.000012] R10: 000000000000000a R11: 000000000000000b R12: 000000000000000c",
        "[   12.000013] R13: 000000000000000d R14: 000000000000000e R15: 000000000000000f",
        "[   12.000014] FS:  00007f0000000000(0000) GS:ffff8880000000(0000) knlGS:0000000000000000",
        "[   12.000015] CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033",
        "[   12.000016] Call Trace:",
        "[   12.000017]  <TASK>",
        "[   12.000018]  provoke_write+0x6b/0xf0 [provoke]",
        "[   12.000019]  vfs_write+0xc8/0x3f0",
        "[   12.000020]  ksys_write+0x5f/0xe0",
        "[   12.000021]  do_syscall_64+0x55/0xb0",
        "[   12.000022]  </TASK>",
        "[   12.000023] ---[ end trace 0000000000000000 ]---",
    ];

    /// <summary>An OOM kill as a 6.1 kernel prints it (trimmed): the summary line comes last.</summary>
    public static readonly string[] OomKill =
    [
        "[  500.000001] stress invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0",
        "[  500.000002] CPU: 0 PID: 812 Comm: stress Not tainted 6.1.0-56-cloud-amd64 #1 Debian 6.1.192-2",
        "[  500.000003] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014",
        "[  500.000004] Call Trace:",
        "[  500.000005]  <TASK>",
        "[  500.000006]  dump_stack_lvl+0x44/0x5c",
        "[  500.000007]  dump_header+0x4a/0x211",
        "[  500.000008]  oom_kill_process.cold+0xb/0x10",
        "[  500.000009]  out_of_memory+0x1fd/0x4f0",
        "[  500.000010]  __alloc_pages_slowpath.constprop.0+0xc0d/0xd70",
        "[  500.000011]  __alloc_pages+0x305/0x330",
        "[  500.000012]  handle_mm_fault+0xdb/0x2d0",
        "[  500.000013]  </TASK>",
        "[  500.000014] Mem-Info:",
        "[  500.000015] active_anon:114304 inactive_anon:0 isolated_anon:0",
        "[  500.000016] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task=stress,pid=812,uid=0",
        "[  500.000017] Out of memory: Killed process 812 (stress) total-vm:1052808kB, anon-rss:457216kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:940kB oom_score_adj:0",
    ];

    [Fact]
    public void An_oom_kill_is_reported_on_its_killed_process_line_as_an_oom()
    {
        var watch = new CrashWatch();
        foreach (var line in OomKill[..^1])
        {
            Assert.Null(watch.Observe(line));
            Assert.True(watch.InReport);
        }

        var report = watch.Observe(OomKill[^1]);
        Assert.NotNull(report);
        Assert.Equal(CrashKind.Oom, report.Kind);
        Assert.False(watch.InReport);
        Assert.Null(watch.Quiet());
    }

    [Fact]
    public void An_oops_is_reported_on_its_end_marker_with_its_registers()
    {
        var watch = new CrashWatch();
        CrashReport? report = null;
        foreach (var line in Oops)
        {
            Assert.Null(report);
            report = watch.Observe(line);
        }

        Assert.NotNull(report);
        Assert.Equal(CrashKind.Oops, report.Kind);
        Assert.Equal(0xfUL, report.Registers!.R15);
        Assert.Equal(0xffffd33b0059bd08UL, report.Registers.Sp);
        Assert.Equal("6.1.0-56-cloud-amd64", report.Kernel!.Release);
    }

    [Fact]
    public void A_report_fires_once_even_when_the_log_goes_quiet_after_it()
    {
        var watch = new CrashWatch();
        foreach (var line in Oops) watch.Observe(line);

        Assert.Null(watch.Quiet());
        Assert.Null(watch.Observe("[   13.000000] eth0: link up"));
    }

    [Fact]
    public void A_report_without_end_marker_is_found_when_the_log_goes_quiet()
    {
        var watch = new CrashWatch();
        string[] lockup =
        [
            "[   20.000000] watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [spin:300]",
            "[   20.000001] CPU: 1 PID: 300 Comm: spin Tainted: G           OE      6.1.0-56-cloud-amd64 #1",
            "[   20.000002] RIP: 0010:spin_forever+0x5/0x10 [provoke]",
            "[   20.000003] Call Trace:",
            "[   20.000004]  <TASK>",
            "[   20.000005]  provoke_write+0x6b/0xf0 [provoke]",
            "[   20.000006]  vfs_write+0xc8/0x3f0",
            "[   20.000007]  </TASK>",
        ];
        foreach (var line in lockup) Assert.Null(watch.Observe(line));

        var report = watch.Quiet();
        Assert.NotNull(report);
        Assert.Equal(CrashKind.Hang, report.Kind);
        Assert.Null(watch.Quiet());
    }

    [Fact]
    public void Ordinary_lines_never_make_a_report()
    {
        var watch = new CrashWatch();
        for (var i = 0; i < 2 * CrashWatch.WindowLines; i++)
            Assert.Null(watch.Observe($"[{i,5}.000000] usb 1-1: new device {i}"));
        Assert.Null(watch.Quiet());
    }

    [Fact]
    public void Lines_between_a_report_start_and_its_end_are_marked_as_part_of_a_crash()
    {
        var watch = new CrashWatch();
        watch.Observe("[    1.000000] eth0: link up");
        Assert.False(watch.InReport);

        watch.Observe(Oops[0]);
        Assert.True(watch.InReport);
        foreach (var line in Oops.Skip(1)) watch.Observe(line);
        Assert.False(watch.InReport);
    }
}
