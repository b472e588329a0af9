using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Netoops.Protocol.Kmsg;
using Netoops.Protocol.Netconsole;
using Netoops.Protocol.Packets;

namespace Netoops.Collector.Loadgen;

/// <summary>How a simulated fleet behaves.</summary>
public sealed record FleetSettings
{
    public int Hosts { get; init; } = 100;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);
    public double DumpsPerSecond { get; init; } = 50;
    public double MessagesPerSecond { get; init; } = 10_000;
    public int Rounds { get; init; } = 3;
    public int BootLines { get; init; } = 200;
    public double Loss { get; init; }
    public double Duplicate { get; init; }
    public double Reorder { get; init; }
    public int Seed { get; init; } = 1;
    /// <summary>One in this many netconsole messages opens a WARN report (0 = never).</summary>
    public int CrashEveryMessages { get; init; } = 50_000;
    /// <summary>Size of an ordinary netconsole datagram (heartbeat lines are padded to it).</summary>
    public int MessageBytes { get; init; } = 100;
    /// <summary>Stop the netconsole streams after this many messages (0 = only the duration limits them).</summary>
    public long MaxMessages { get; init; }
    /// <summary>UDP port the netconsole streams leave from (0 = any free one); a fixed port lets runs continue the same sessions.</summary>
    public int StreamSourcePort { get; init; }
}

public sealed record FleetReport(long Dumps, long DumpPackets, long DumpDatagramsSent, long Messages, long MessageDatagramsSent, long NetconsoleCrashes, TimeSpan Elapsed);

/// <summary>
/// A simulated fleet on this machine: host i sends from its own loopback address (127.1.x.y), so
/// the collector sees one source per host. Netoops dumps (a boot log ending in one of a few WARN
/// reports, so they fall into a handful of buckets) and extended netconsole streams go out at the
/// set rates through a seeded <see cref="Impairment"/>.
/// </summary>
public sealed class FleetSimulator(FleetSettings settings, IPEndPoint? netoops, IPEndPoint? netconsole)
{
    private static readonly string[] Functions = ["ext4_writepages", "tcp_sendmsg", "nvme_queue_rq", "kmalloc_order", "provoke_warn"];

    public static IPAddress HostAddress(int host) => new([127, 1, (byte)(host / 250), (byte)(host % 250 + 1)]);

    /// <summary><see cref="HostAddress"/> as a host-order integer.</summary>
    internal static uint HostAddressValue(int host) => (127u << 24) | (1u << 16) | ((uint)(host / 250) << 8) | (uint)(host % 250 + 1);

    internal static string CrashFunction(long crash) => Functions[crash % Functions.Length];

    public async Task<FleetReport> RunAsync(CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var dumps = netoops is null || settings.DumpsPerSecond <= 0 ? Task.FromResult((0L, 0L, 0L)) : Task.Run(() => SendDumps(ct), ct);
        var stream = netconsole is null || settings.MessagesPerSecond <= 0 ? Task.FromResult((0L, 0L, 0L)) : Task.Run(() => SendStream(ct), ct);
        var (d, packets, dumpDatagrams) = await dumps;
        var (messages, messageDatagrams, crashes) = await stream;
        return new FleetReport(d, packets, dumpDatagrams, messages, messageDatagrams, crashes, stopwatch.Elapsed);
    }

    private static Socket[] Sockets(int hosts)
    {
        var sockets = new Socket[hosts];
        for (var i = 0; i < hosts; i++)
        {
            sockets[i] = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            sockets[i].Bind(new IPEndPoint(HostAddress(i), 0));
        }
        return sockets;
    }

    private (long, long, long) SendDumps(CancellationToken ct)
    {
        var sockets = Sockets(settings.Hosts);
        var random = new Random(settings.Seed);
        var impairment = new Impairment(settings.Loss, settings.Duplicate, settings.Reorder, settings.Seed);
        var output = new List<ReadOnlyMemory<byte>>();
        long dumps = 0, packets = 0, sent = 0;
        var pacer = new Pacer(settings.DumpsPerSecond);
        try
        {
            while (!pacer.Done(settings.Duration) && !ct.IsCancellationRequested)
            {
                pacer.WaitFor(dumps);
                var host = (int)(dumps % settings.Hosts);
                var header = new DumpHeader
                {
                    DumpId = (ushort)(dumps / settings.Hosts),
                    BootId = (uint)host,
                    KernelVersion = random.Next(3) == 0 ? "6.12.0-1-cloud-amd64" : "6.1.0-56-cloud-amd64",
                    UserBlob = DumpHeader.BlobFromText($"rack=r{host % 8} host=h{host}"),
                    Cpu = new X86Cpu((byte)(host % 2 == 0 ? 0 : 2), 6, (byte)(85 + host % 3), 4),
                    Registers = X86Registers.AtKernelIp(0xffffffff81000000 + (ulong)random.Next(1 << 20)),
                };
                var dump = DumpSlicer.Slice(header, Encoding.UTF8.GetBytes(Log(random, host, settings.BootLines)));
                foreach (var packet in dump.SendOrder(settings.Rounds))
                {
                    output.Clear();
                    impairment.Pass(packet, output);
                    foreach (var datagram in output) { sockets[host].SendTo(datagram.Span, SocketFlags.None, netoops!); sent++; }
                }
                output.Clear();
                impairment.Drain(output);
                foreach (var datagram in output) { sockets[host].SendTo(datagram.Span, SocketFlags.None, netoops!); sent++; }
                packets += dump.Packets.Count;
                dumps++;
            }
        }
        finally
        {
            foreach (var socket in sockets) socket.Dispose();
        }
        return (dumps, packets, sent);
    }

    private (long, long, long) SendStream(CancellationToken ct) => new StreamSender(settings, netconsole!).Run(Report, ct);

    private static string Log(Random random, int host, int bootLines)
    {
        var text = new StringBuilder();
        for (var i = 0; i < bootLines; i++)
            text.Append($"[{i / 100.0,12:F6}] host{host}: boot message {i} device probe ok\n");
        foreach (var line in Report(Functions[random.Next(Functions.Length)])) text.Append(line).Append('\n');
        return text.ToString();
    }

    private static IEnumerable<string> Report(string function)
    {
        yield return "------------[ cut here ]------------";
        yield return $"WARNING: CPU: 1 PID: 4242 at kernel/sim.c:42 {function}+0x11/0x20";
        yield return "CPU: 1 PID: 4242 Comm: worker Not tainted 6.1.0-56-cloud-amd64 #1 Debian 6.1.192-2";
        yield return "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014";
        yield return $"RIP: 0010:{function}+0x11/0x20";
        yield return "RSP: 0018:ffffd33b0059bd08 EFLAGS: 00000286";
        yield return "Call Trace:";
        yield return " <TASK>";
        yield return $" {function}_caller+0x6b/0xf0";
        yield return " do_syscall_64+0x55/0x80";
        yield return " </TASK>";
        yield return "---[ end trace 0000000000000000 ]---";
    }
}
