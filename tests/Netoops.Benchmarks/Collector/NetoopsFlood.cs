using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Netoops.Protocol.Packets;

namespace Netoops.Benchmarks.Collector;

/// <summary>
/// A fast netoops sender for figures: many sources (127.2.x.y, so the collector sees one host per
/// source), dumps of a fixed size of which the first <c>send</c> packets go out (fewer than the
/// dump's packets = a partial-dump flood), paced to a packet rate. One socket per source would need
/// 100,000 file descriptors (more than this machine's hard limit), so datagrams go out on one raw
/// socket (root) with the IPv4 and UDP headers written here, the source address per packet.
/// Packets are sliced once and re-stamped (dump id, boot id, source) in place: no allocation per packet.
/// Run (as root): dotnet tests/Netoops.Benchmarks/bin/Release/net10.0/Netoops.Benchmarks.dll flood
///     --to 127.0.0.1:12005 --sources 100000 --seconds 30 --rate 100000 --dump-packets 8 --send 2
/// </summary>
internal static class NetoopsFlood
{
    public static void Run(string[] args)
    {
        string Arg(string name, string fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        }
        var target = IPEndPoint.Parse(Arg("--to", "127.0.0.1:2004"));
        var sources = int.Parse(Arg("--sources", "1000"));
        var seconds = double.Parse(Arg("--seconds", "10"));
        var rate = double.Parse(Arg("--rate", "100000"));
        var dumpPackets = int.Parse(Arg("--dump-packets", "8"));
        var send = Math.Min(int.Parse(Arg("--send", dumpPackets.ToString())), dumpPackets);
        var bootId = (uint)Environment.TickCount64; // a fresh boot id per run: no key repeats an earlier run's

        var template = Template(dumpPackets);
        // IPPROTO_RAW: the kernel takes our IP header (filling in its checksum, length and id).
        using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Raw);
        var to = target.Serialize();
        const int Headers = 20 + 8;
        var buffer = new byte[Headers + template.Max(p => p.Length)];
        var destination = BinaryPrimitives.ReadUInt32BigEndian(target.Address.GetAddressBytes());
        long packets = 0, dumps = 0;
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"sending {seconds} s at {rate:F0} packets/s: dumps of {dumpPackets} packets, {send} sent each ({LoadAverage.Now()})");
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * rate);
            if (packets >= due)
            {
                Thread.SpinWait(50);
                continue;
            }
            while (packets < due)
            {
                var source = (int)(dumps % sources);
                var dumpId = (ushort)(dumps / sources);
                for (var p = 0; p < send; p++)
                {
                    var packet = template[p];
                    var length = Headers + packet.Length;
                    WriteHeaders(buffer, SourceAddress(source), destination, (ushort)target.Port, packet.Length);
                    packet.CopyTo(buffer, Headers);
                    BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(Headers + PacketLayout.DumpIdOffset), dumpId);
                    BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(Headers + PacketLayout.BootIdOffset), bootId);
                    raw.SendTo(buffer.AsSpan(0, length), SocketFlags.None, to);
                }
                packets += send;
                dumps++;
            }
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"sent {packets} packets of {dumps} dumps from {Math.Min(dumps, sources)} sources in {elapsed:F1} s = {packets / elapsed:F0} packets/s ({LoadAverage.Now()})");
    }

    /// <summary>127.2.0.1 onwards (host order), skipping host bytes 0 and 255.</summary>
    private static uint SourceAddress(int i) => 0x7f020000u + (uint)(i / 254 * 256 + i % 254 + 1);

    /// <summary>IPv4 (no options, checksum left to the kernel) and UDP (checksum 0: none, allowed over IPv4) headers.</summary>
    private static void WriteHeaders(Span<byte> buffer, uint source, uint destination, ushort port, int payload)
    {
        buffer[..28].Clear();
        buffer[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)(28 + payload));
        BinaryPrimitives.WriteUInt16BigEndian(buffer[6..], 0x4000); // don't fragment
        buffer[8] = 64;
        buffer[9] = (byte)ProtocolType.Udp;
        BinaryPrimitives.WriteUInt32BigEndian(buffer[12..], source);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[16..], destination);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[20..], PacketLayout.DefaultPort);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[22..], port);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[24..], (ushort)(8 + payload));
    }

    private static byte[][] Template(int dumpPackets)
    {
        var log = new StringBuilder();
        var report = "------------[ cut here ]------------\nWARNING: CPU: 0 PID: 137 at drivers/misc/provoke.c:9 provoke_warn+0x11/0x20 [provoke]\n"
            + "CPU: 0 PID: 137 Comm: sh Tainted: G           OE      6.1.0-56-cloud-amd64 #1 Debian 6.1.192-2\n"
            + "RIP: 0010:provoke_warn+0x11/0x20 [provoke]\nCall Trace:\n provoke_write+0x6b/0xf0 [provoke]\n vfs_write+0xb8/0x3a0\n---[ end trace 0000000000000000 ]---\n";
        while (log.Length + report.Length <= (dumpPackets - 1) * PacketLayout.DataSize)
            log.Append($"[{log.Length / 100.0,12:F6}] virtio_net virtio0 eth0: boot line, link is up, 1000Mbps full duplex\n");
        log.Append(report);
        var header = new DumpHeader { DumpId = 0, BootId = 0, KernelVersion = "6.1.0-56-cloud-amd64", UserBlob = DumpHeader.BlobFromText("rack=flood") };
        var packets = DumpSlicer.Slice(header, Encoding.UTF8.GetBytes(log.ToString())).Packets;
        if (packets.Count != dumpPackets) throw new InvalidOperationException($"sliced {packets.Count} packets, wanted {dumpPackets}");
        return [.. packets.Select(p => p.ToArray())];
    }
}
