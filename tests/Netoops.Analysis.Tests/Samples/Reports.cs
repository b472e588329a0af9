namespace Netoops.Analysis.Tests.Samples;

/// <summary>Report shapes as x86_64 and arm kernels print them (REFERENCE §6), with volatile parts as placeholders.</summary>
internal static class Reports
{
    /// <summary>A WARN() from a module on a Debian cloud kernel under qemu, as the test rig produces it.</summary>
    public const string ModuleWarning = """
        [   41.112233] provoke: loading out-of-tree module taints kernel.
        [   42.000001] ------------[ cut here ]------------
        [   42.000002] WARNING: CPU: 0 PID: 137 at /build/provoke/provoke.c:9 provoke_warn+0x11/0x20 [provoke]
        [   42.000003] Modules linked in: provoke(OE) netconsole configfs virtio_net net_failover failover
        [   42.000004]  virtio_pci virtio_pci_legacy_dev virtio_pci_modern_dev virtio virtio_ring
        [   42.000005] CPU: 0 PID: 137 Comm: sh Tainted: G           OE      6.1.0-56-cloud-amd64 #1  Debian 6.1.192-2
        [   42.000006] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014
        [   42.000007] RIP: 0010:provoke_warn+0x11/0x20 [provoke]
        [   42.000008] Code: 0f 1f 44 00 00 0f 0b c3 cc cc cc cc
        [   42.000009] RSP: 0018:ffffd33b0059bd08 EFLAGS: 00010286
        [   42.000010] RAX: 0000000000000001 RBX: ffff8e2a01b2c000 RCX: 0000000000000002
        [   42.000011] RDX: 0000000000000003 RSI: 0000000000000004 RDI: 0000000000000005
        [   42.000012] RBP: 0000000000000006 R08: 0000000000000008 R09: 0000000000000009
        [   42.000013] R10: 000000000000000a R11: 000000000000000b R12: 000000000000000c
        [   42.000014] R13: 000000000000000d R14: 000000000000000e R15: 000000000000000f
        [   42.000015] FS:  00007f5d1a2b3740(0000) GS:ffff8e2a1f600000(0000) knlGS:0000000000000000
        [   42.000016] CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033
        [   42.000017] CR2: 000055d1c2a3b4c8 CR3: 0000000001a2b000 CR4: 00000000000006f0
        [   42.000018] Call Trace:
        [   42.000019]  <TASK>
        [   42.000020]  provoke_write+0x5b/0x90 [provoke]
        [   42.000021]  vfs_write+0xb8/0x3a0
        [   42.000022]  ksys_write+0x5f/0xe0
        [   42.000023]  do_syscall_64+0x55/0xb0
        [   42.000024]  entry_SYSCALL_64_after_hwframe+0x6e/0xd8
        [   42.000025] RIP: 0033:0x7f5d1a3c4f33
        [   42.000026] RSP: 002b:00007ffc2b3a4b18 EFLAGS: 00000246 ORIG_RAX: 0000000000000001
        [   42.000027] RAX: ffffffffffffffda RBX: 0000000000000002 RCX: 00007f5d1a3c4f33
        [   42.000028]  </TASK>
        [   42.000029] ---[ end trace 0000000000000000 ]---
        [   43.500000] random: crng reseeded
        """;

    /// <summary>A general protection fault with KASAN's address decoding, caller-tagged (CONFIG_PRINTK_CALLER).</summary>
    public const string GeneralProtectionFault = """
        [  123.456789][ T4242] general protection fault, probably for non-canonical address 0xdffffc0000000003: 0000 [#1] PREEMPT SMP KASAN
        [  123.456790][ T4242] KASAN: null-ptr-deref in range [0x0000000000000018-0x000000000000001f]
        [  123.456791][ T4242] CPU: 1 PID: 4242 Comm: syz-executor.3 Not tainted 5.15.0-syzkaller #0
        [  123.456792][ T4242] Hardware name: Google Google Compute Engine/Google Compute Engine, BIOS Google 01/01/2011
        [  123.456793][ T4242] RIP: 0010:move_page_tables+0x1a2/0x1f30
        [  123.456794][ T4242] RSP: 0018:ffffc90002f6fa58 EFLAGS: 00010202
        [  123.456795][    C0] hrtimer: interrupt took 18437 ns
        [  123.456796][ T4242] Call Trace:
        [  123.456797][ T4242]  <TASK>
        [  123.456798][ T4242]  move_vma+0x2c7/0xa10
        [  123.456799][ T4242]  __do_sys_mremap+0xb36/0x1280
        [  123.456800][ T4242]  do_syscall_64+0x35/0xb0
        [  123.456801][ T4242]  entry_SYSCALL_64_after_hwframe+0x44/0xae
        [  123.456802][ T4242]  </TASK>
        [  123.456803][ T4242] ---[ end trace 1a2b3c4d5e6f7a8b ]---
        """;

    /// <summary>A KASAN use-after-free in TCP receive, symbolized.</summary>
    public const string KasanUseAfterFree = """
        [   77.100000] ==================================================================
        [   77.100001] BUG: KASAN: use-after-free in tcp_v4_rcv+0x2cd1/0x2f80 net/ipv4/tcp_ipv4.c:1990
        [   77.100002] Read of size 4 at addr ffff88801d4b1234 by task swapper/0/0
        [   77.100003] 
        [   77.100004] CPU: 0 PID: 0 Comm: swapper/0 Not tainted 5.10.0 #1
        [   77.100005] Call Trace:
        [   77.100006]  <IRQ>
        [   77.100007]  __dump_stack lib/dump_stack.c:77 [inline]
        [   77.100008]  dump_stack+0x107/0x163 lib/dump_stack.c:118
        [   77.100009]  print_address_description.constprop.0.cold+0x5b/0x2f8 mm/kasan/report.c:230
        [   77.100010]  kasan_report.cold+0x7c/0xd8 mm/kasan/report.c:396
        [   77.100011]  tcp_v4_rcv+0x2cd1/0x2f80 net/ipv4/tcp_ipv4.c:1990
        [   77.100012]  ip_protocol_deliver_rcu+0x5c/0x8a0 net/ipv4/ip_input.c:204
        [   77.100013]  </IRQ>
        [   77.100014] 
        [   77.100015] Allocated by task 3100:
        [   77.100016]  kasan_save_stack+0x1b/0x40 mm/kasan/common.c:48
        [   77.100017]  sk_prot_alloc+0x3e/0x1c0 net/core/sock.c:1812
        [   77.100018] 
        [   77.100019] Freed by task 3101:
        [   77.100020]  kasan_save_stack+0x1b/0x40 mm/kasan/common.c:48
        [   77.100021]  sk_prot_free net/core/sock.c:1850 [inline]
        [   77.100022] ==================================================================
        """;

    /// <summary>A task stuck behind the RTNL lock.</summary>
    public const string HungTask = """
        [ 1100.000001] INFO: task kworker/u4:2:4567 blocked for more than 143 seconds.
        [ 1100.000002]       Not tainted 6.1.0 #1
        [ 1100.000003] "echo 0 > /proc/sys/kernel/hung_task_timeout_secs" disables this message.
        [ 1100.000004] task:kworker/u4:2    state:D stack:25384 pid:4567  ppid:2      flags:0x00004000
        [ 1100.000005] Call Trace:
        [ 1100.000006]  <TASK>
        [ 1100.000007]  __schedule+0x8c5/0x2400
        [ 1100.000008]  schedule+0xd3/0x270
        [ 1100.000009]  schedule_preempt_disabled+0x13/0x20
        [ 1100.000010]  __mutex_lock+0x957/0x1550
        [ 1100.000011]  rtnl_lock+0x15/0x20
        [ 1100.000012]  addrconf_dad_work+0xa2/0x12c0
        [ 1100.000013]  process_one_work+0x9b2/0x1690
        [ 1100.000014]  </TASK>
        """;

    /// <summary>An i386 oops (EIP block).</summary>
    public const string I386Oops = """
        [   12.000001] BUG: unable to handle kernel NULL pointer dereference at 00000008
        [   12.000002] IP: [<c1234567>] ext4_fill_super+0x10/0x900
        [   12.000003] *pde = 00000000
        [   12.000004] Oops: 0000 [#1] SMP
        [   12.000005] Modules linked in:
        [   12.000006] CPU: 0 PID: 1 Comm: swapper/0 Not tainted 3.16.0 #1
        [   12.000007] task: f5c48000 ti: f5c4c000 task.ti: f5c4c000
        [   12.000008] EIP: 0060:[<c1234567>] EFLAGS: 00010246 CPU: 0
        [   12.000009] EIP is at ext4_fill_super+0x10/0x900
        [   12.000010] EAX: 00000001 EBX: 00000002 ECX: 00000003 EDX: 00000004
        [   12.000011] ESI: 00000005 EDI: 00000006 EBP: f5c4dd00 ESP: f5c4dcd0
        [   12.000012]  DS: 007b ES: 007b FS: 00d8 GS: 0000 SS: 0068
        [   12.000013] Call Trace:
        [   12.000014]  [<c1122334>] mount_bdev+0x170/0x1b0
        [   12.000015]  [<c1255667>] ext4_mount+0x17/0x20
        [   12.000016] ---[ end trace 0123456789abcdef ]---
        """;

    /// <summary>The OOM killer at work: not a bug, but worth knowing about.</summary>
    public const string OomKill = """
        [  500.000001] stress invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0
        [  500.000002] CPU: 0 PID: 812 Comm: stress Not tainted 6.1.0-56-cloud-amd64 #1 Debian 6.1.192-2
        [  500.000003] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014
        [  500.000004] Call Trace:
        [  500.000005]  <TASK>
        [  500.000006]  dump_stack_lvl+0x44/0x5c
        [  500.000007]  dump_header+0x4a/0x211
        [  500.000008]  oom_kill_process.cold+0xb/0x10
        [  500.000009]  out_of_memory+0x1fd/0x4f0
        [  500.000010]  __alloc_pages_slowpath.constprop.0+0xc0d/0xd70
        [  500.000011]  __alloc_pages+0x305/0x330
        [  500.000012]  folio_alloc+0x17/0x50
        [  500.000013]  do_anonymous_page+0x64/0x400
        [  500.000014]  __handle_mm_fault+0x8e4/0xbe0
        [  500.000015]  handle_mm_fault+0xdb/0x2d0
        [  500.000016]  </TASK>
        [  500.000017] Out of memory: Killed process 812 (stress) total-vm:1052808kB, anon-rss:457216kB, file-rss:0kB
        """;
}
