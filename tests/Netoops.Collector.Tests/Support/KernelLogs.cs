using System.Text;

namespace Netoops.Collector.Tests.Support;

/// <summary>Kernel console text for tests: boot chatter, then a WARN report at the newest end.</summary>
internal static class KernelLogs
{
    public static string BootLines(int count, int seed = 0)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
            text.Append($"[{i / 10.0,12:F6}] virtio_net virtio0 eth0: boot line {seed}-{i} renamed, link is up, 1000Mbps full duplex\n");
        return text.ToString();
    }

    public static readonly string[] WarnReport =
    [
        "[   12.345670] ------------[ cut here ]------------",
        "[   12.345671] WARNING: CPU: 0 PID: 137 at drivers/misc/provoke.c:9 provoke_warn+0x11/0x20 [provoke]",
        "[   12.345672] Modules linked in: provoke(OE) virtio_net net_failover failover",
        "[   12.345673] CPU: 0 PID: 137 Comm: sh Tainted: G           OE      6.1.0-56-cloud-amd64 #1 Debian 6.1.192-2",
        "[   12.345674] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014",
        "[   12.345675] RIP: 0010:provoke_warn+0x11/0x20 [provoke]",
        "[   12.345676] RSP: 0018:ffffd33b0059bd08 EFLAGS: 00000286",
        "[   12.345677] RAX: 0000000000000000 RBX: ffff8a0c41e3e000 RCX: 0000000000000000",
        "[   12.345678] RDX: 0000000000000001 RSI: ffffffffc0a01000 RDI: ffff8a0c41e3e000",
        "[   12.345679] Call Trace:",
        "[   12.345680]  <TASK>",
        "[   12.345681]  provoke_write+0x6b/0xf0 [provoke]",
        "[   12.345682]  vfs_write+0xb8/0x3a0",
        "[   12.345683]  ksys_write+0x5b/0xe0",
        "[   12.345684]  do_syscall_64+0x55/0x80",
        "[   12.345685]  </TASK>",
        "[   12.345686] ---[ end trace 0000000000000000 ]---",
    ];

    /// <summary>Boot chatter then the WARN report, newline-terminated.</summary>
    public static string WithWarn(int bootLines, int seed = 0) => BootLines(bootLines, seed) + string.Join('\n', WarnReport) + "\n";
}
