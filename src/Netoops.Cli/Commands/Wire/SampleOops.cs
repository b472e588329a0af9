using System.Text;

namespace Netoops.Cli.Commands.Wire;

/// <summary>A made-up but typical x86_64 kernel log ending in a WARN that became an oops, for the demo.</summary>
internal static class SampleOops
{
    public const string KernelVersion = "6.1.0-56-cloud-amd64";

    public static byte[] Log()
    {
        var log = new StringBuilder();
        log.Append("<6>[    0.000000] Linux version 6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2\n");
        log.Append("<6>[    0.000000] Command line: console=ttyS0 panic=1 netoops=2004@10.0.2.15/eth0,2004@10.0.2.2/\n");
        for (var i = 0; i < 40; i++)
            log.Append($"<6>[    0.{i * 1234:D6}] pci 0000:00:{i % 32:x2}.0: [8086:{0x7000 + i:x4}] type 00 class 0x060000\n");
        log.Append("""
            <4>[    6.229856] ------------[ cut here ]------------
            <4>[    6.229901] WARNING: CPU: 0 PID: 141 at drivers/provoke/provoke.c:9 provoke_warn+0x11/0x20 [provoke]
            <4>[    6.230011] Modules linked in: provoke(OE) netconsole configfs virtio_net net_failover failover
            <4>[    6.230102] CPU: 0 PID: 141 Comm: sh Tainted: G           OE      6.1.0-56-cloud-amd64 #1  Debian 6.1.192-2
            <4>[    6.230180] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014
            <4>[    6.230250] RIP: 0010:provoke_warn+0x11/0x20 [provoke]
            <4>[    6.230301] RSP: 0018:ffffd33b0059bd08 EFLAGS: 00000286
            <4>[    6.230355] RAX: 0000000000000000 RBX: ffff8a0c41b2e000 RCX: 0000000000000000
            <4>[    6.230410] RDX: 0000000000000001 RSI: ffffffffc0a02038 RDI: ffff8a0c41b2e000
            <4>[    6.230466] Call Trace:
            <4>[    6.230480]  <TASK>
            <4>[    6.230492]  provoke_write+0x6b/0xf0 [provoke]
            <4>[    6.230530]  vfs_write+0xb8/0x2a0
            <4>[    6.230560]  ksys_write+0x5f/0xe0
            <4>[    6.230588]  do_syscall_64+0x58/0xc0
            <4>[    6.230617]  entry_SYSCALL_64_after_hwframe+0x64/0xce
            <4>[    6.230650]  </TASK>
            <4>[    6.230662] ---[ end trace 0000000000000000 ]---

            """);
        return Encoding.ASCII.GetBytes(log.ToString().Replace("\r\n", "\n"));
    }
}
