using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Microsoft.Extensions.Logging.Abstractions;
using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;
using Netoops.Protocol.Kmsg;
using Netoops.Protocol.Netconsole;

namespace Netoops.Collector.Netconsole;

/// <summary>
/// Runs the netconsole receive path once, on a scratch socket and scratch state, before the real
/// socket opens. The first datagrams through a fresh process pay for compiling that path (the
/// receive loop is compiled fully optimised on first use) and for loading its types: about a
/// quarter of a second on this 2-core machine, while a fleet already streaming at 300,000
/// messages/s fills the 16 MiB socket buffer in 65 ms. Everything here is thrown away: the
/// collector's own counters, sessions and tails never see these datagrams.
/// </summary>
public static class NetconsoleWarmup
{
    private const int Hosts = 64;
    private const int MessagesPerHost = 150;

    /// <summary>How long the rehearsal took, or null if it gave up waiting (the collector starts regardless).</summary>
    public static TimeSpan? Run(NetconsoleSession.Settings settings)
    {
        var started = Stopwatch.GetTimestamp();
        var metrics = new CollectorMetrics();
        var sink = new NetconsoleSink(settings, maxSessions: Hosts, TimeSpan.FromMinutes(1), metrics,
            new NetconsoleTails(linesPerHost: 16, maxHosts: Hosts), ActorRefs.Nobody);
        using var receiver = new UdpReceiver(new IPEndPoint(IPAddress.Loopback, 0), 4 << 20, SourceAllowlist.Everyone,
            new SourceRateLimiter(0, 0), sink, metrics.Netconsole, NullLogger.Instance);
        var sent = 0;
        var deadline = started + Stopwatch.Frequency * 2;
        for (var host = 0; host < Hosts; host++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            foreach (var datagram in Stream(host))
            {
                socket.SendTo(datagram, receiver.LocalEndPoint);
                sent++;
            }
            // One host's stream at a time fits the scratch socket's buffer, so none is dropped.
            while (metrics.Netconsole.Received.Value < sent)
            {
                if (Stopwatch.GetTimestamp() > deadline) return null;
                Thread.Sleep(1);
            }
        }
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>What a host sends: ordinary lines, a basic-format line, a long (fragmented) record and a short crash report.</summary>
    private static IEnumerable<byte[]> Stream(int host)
    {
        ulong sequence = 0;
        IReadOnlyList<byte[]> Record(string text) => ExtendedWriter.Write(new KmsgRecord(6, sequence, 1_000_000 + sequence++ * 1000, text));

        yield return Encoding.ASCII.GetBytes($"warmup[{host}]: a basic netconsole line\n");
        foreach (var datagram in Record(new string('x', 2500))) yield return datagram;
        string[] report =
        [
            "BUG: kernel NULL pointer dereference, address: 0000000000000008",
            "RIP: 0010:warmup_probe+0x1/0x2",
            "Call Trace:",
            " <TASK>",
            " warmup_caller+0x3/0x4",
            " </TASK>",
            "---[ end trace 0000000000000000 ]---",
        ];
        foreach (var line in report)
        foreach (var datagram in Record(line))
            yield return datagram;
        for (var i = 0; i < MessagesPerHost; i++)
        foreach (var datagram in Record($"warmup[{host}]: an ordinary line {i}"))
            yield return datagram;
    }
}
