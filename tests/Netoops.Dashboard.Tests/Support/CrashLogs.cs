namespace Netoops.Dashboard.Tests.Support;

/// <summary>Kernel console text for the fleet: some boot chatter, then one crash report at the newest end.</summary>
internal static class CrashLogs
{
    public const string NullDerefTitle = "BUG: unable to handle kernel NULL pointer dereference in ext4_xattr_set_entry";
    public const string WarnTitle = "WARNING in provoke_warn";

    private static string Boot(string host) => string.Concat(Enumerable.Range(0, 40).Select(i =>
        $"[{i / 10.0,12:F6}] virtio_net virtio0 eth0: {host} boot line {i}, link is up, 1000Mbps full duplex\n"));

    public static string NullDeref(string host, string kernel) => Boot(host) + $"""
        [   52.345670] BUG: kernel NULL pointer dereference, address: 0000000000000010
        [   52.345671] #PF: supervisor read access in kernel mode
        [   52.345672] Oops: 0000 [#1] PREEMPT SMP NOPTI
        [   52.345673] CPU: 3 PID: 2211 Comm: kworker/u16:2 Tainted: G           OE      {kernel} #1 Debian
        [   52.345674] Hardware name: Dell Inc. PowerEdge R640/0H28RR, BIOS 2.17.1 05/22/2024
        [   52.345675] RIP: 0010:ext4_xattr_set_entry+0x1a2/0xd30
        [   52.345676] RSP: 0018:ffffd33b0059bd08 EFLAGS: 00010286
        [   52.345677] RAX: 0000000000000000 RBX: ffff8a0c41e3e000 RCX: 0000000000000000
        [   52.345678] RDX: 0000000000000001 RSI: ffffffffc0a01000 RDI: ffff8a0c41e3e000
        [   52.345679] CR2: 0000000000000010 CR3: 000000010a2c4005 CR4: 00000000003706e0
        [   52.345680] Call Trace:
        [   52.345681]  <TASK>
        [   52.345682]  ext4_xattr_ibody_set+0x77/0x120
        [   52.345683]  ext4_xattr_set_handle+0x2f9/0x5c0
        [   52.345684]  ext4_xattr_set+0xa5/0x180
        [   52.345685]  __vfs_setxattr+0x9a/0xd0
        [   52.345686]  </TASK>
        [   52.345687] Modules linked in: nf_conntrack ext4 mbcache jbd2 virtio_net
        [   52.345688] ---[ end trace 0000000000000000 ]---

        """;

    public static string Warn(string host, string kernel) => Boot(host) + $"""
        [   12.345670] ------------[ cut here ]------------
        [   12.345671] WARNING: CPU: 0 PID: 137 at drivers/misc/provoke.c:9 provoke_warn+0x11/0x20 [provoke]
        [   12.345672] Modules linked in: provoke(OE) virtio_net net_failover failover
        [   12.345673] CPU: 0 PID: 137 Comm: sh Tainted: G           OE      {kernel} #1 Debian
        [   12.345674] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014
        [   12.345675] RIP: 0010:provoke_warn+0x11/0x20 [provoke]
        [   12.345676] RSP: 0018:ffffd33b0059bd08 EFLAGS: 00000286
        [   12.345679] Call Trace:
        [   12.345680]  <TASK>
        [   12.345681]  provoke_write+0x6b/0xf0 [provoke]
        [   12.345682]  vfs_write+0xb8/0x3a0
        [   12.345683]  ksys_write+0x5b/0xe0
        [   12.345685]  </TASK>
        [   12.345686] ---[ end trace 0000000000000000 ]---

        """;

    public static string Gpf(string host, string kernel) => Boot(host) + $"""
        [   99.100000] general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] SMP PTI
        [   99.100001] CPU: 1 PID: 0 Comm: swapper/1 Tainted: G           OE      {kernel} #1 Debian
        [   99.100002] Hardware name: Supermicro SYS-1029U-TRT/X11DPU, BIOS 3.4 10/12/2023
        [   99.100003] RIP: 0010:skb_release_data+0x8c/0x1a0
        [   99.100004] RSP: 0018:ffffb2a4c0150d40 EFLAGS: 00010246
        [   99.100005] Call Trace:
        [   99.100006]  <IRQ>
        [   99.100007]  skb_release_data+0x8c/0x1a0
        [   99.100008]  consume_skb+0x39/0xa0
        [   99.100009]  tcp_v4_rcv+0xd2f/0xe40
        [   99.100010]  </IRQ>
        [   99.100011] ---[ end trace 0000000000000000 ]---

        """;

    /// <summary>
    /// A crash whose text tries to become markup everywhere the dashboard shows it: title, task,
    /// hardware, frames and the surrounding log. Any of it running sets <c>window.__pwned</c>.
    /// </summary>
    public static string Hostile(string kernel) => """
        [    1.000000] <script>window.__pwned=1</script> eth0: link up
        [    1.000001] "><svg/onload=window.__pwned=7> <iframe src=javascript:window.__pwned=8>

        """ + $"""
        [   12.345670] ------------[ cut here ]------------
        [   12.345671] WARNING: CPU: 0 PID: 137 at drivers/misc/<script>x.c:9 <img/src=x/onerror=window.__pwned=2>+0x11/0x20 [provoke]
        [   12.345672] Modules linked in: provoke(OE)
        [   12.345673] CPU: 0 PID: 137 Comm: <script> Tainted: G           OE      {kernel} #1
        [   12.345674] Hardware name: <img src=x onerror=window.__pwned=3>, BIOS <b>1</b> 04/01/2014
        [   12.345675] RIP: 0010:<img/src=x/onerror=window.__pwned=2>+0x11/0x20 [provoke]
        [   12.345679] Call Trace:
        [   12.345680]  <TASK>
        [   12.345681]  <svg/onload=window.__pwned=4>+0x6b/0xf0 [provoke]
        [   12.345682]  vfs_write+0xb8/0x3a0
        [   12.345685]  </TASK>
        [   12.345686] ---[ end trace 0000000000000000 ]---

        """;
}
