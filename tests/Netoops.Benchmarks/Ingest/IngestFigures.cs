using System.Diagnostics;
using System.Net;
using Akka.Actor;
using Microsoft.Extensions.Logging.Abstractions;
using Netoops.Collector.Hosting;
using Netoops.Collector.Ingest;
using Netoops.Collector.Loadgen;
using Netoops.Collector.Metrics;
using Netoops.Collector.Netconsole;

namespace Netoops.Benchmarks.Ingest;

/// <summary>
/// Receive-side figures with real sockets (see design/collector.md, "Figures"):
/// <list type="bullet">
/// <item><c>udp-sink ADDR SECONDS</c>: the bare recvmmsg loop (the collector's receiver with a sink
/// that only counts), printing datagrams per second: what a sender reaches when the receiver costs
/// next to nothing.</item>
/// <item><c>drain [ROUNDS] [RCVBUF]</c>: the collector's netconsole path (receiver, sessions,
/// parsing, sequencing, crash detection) held still while 1,024 simulated hosts fill its socket
/// buffer, then timed while it empties the buffer. Run it pinned: <c>taskset -c 0</c>.</item>
/// </list>
/// </summary>
internal static class IngestFigures
{
    public static void UdpSink(string address, double seconds)
    {
        var metrics = new IngestMetrics("netconsole");
        using var receiver = new UdpReceiver(IPEndPoint.Parse(address), 8 << 20, SourceAllowlist.Everyone,
            new SourceRateLimiter(0, 0), new CountingSink(), metrics, NullLogger.Instance);
        Console.WriteLine($"bare recvmmsg sink on udp {receiver.LocalEndPoint}, receive buffer {receiver.EffectiveReceiveBuffer} bytes; load average {LoadAverage()}");
        var clock = Stopwatch.StartNew();
        var cpu = CpuSeconds();
        long last = 0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            Thread.Sleep(1000);
            var now = metrics.Received.Value;
            if (now != last) Console.WriteLine($"{clock.Elapsed.TotalSeconds,5:F0} s: {now - last,9:N0} datagrams/s");
            last = now;
        }
        var used = CpuSeconds() - cpu;
        Console.WriteLine($"total {metrics.Received.Value:N0} datagrams received, {metrics.KernelDropped():N0} dropped by the kernel (buffer full); " +
                          $"{used:F2} CPU-seconds used = {metrics.Received.Value / used:N0} datagrams per CPU-second; load average {LoadAverage()}");
    }

    /// <param name="bare">Only count the datagrams (the bare recvmmsg loop), for comparison with the real path.</param>
    public static void Drain(int rounds, int receiveBuffer, bool bare = false)
    {
        using var system = ActorSystem.Create("drain", "akka.log-dead-letters = off\nakka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");
        var metrics = new CollectorMetrics();
        var defaults = new CollectorOptions(); // the collector's defaults: context, tails, per-source rate limit
        var captures = system.ActorOf(Props.Create(() => new CaptureCounter()));
        var sink = new GatedSink(bare ? new CountingSink() : new NetconsoleSink(new NetconsoleSession.Settings(defaults.ContextLines, MaxReportLines: 400, ReportQuiet: TimeSpan.FromSeconds(2)),
            defaults.MaxSessions, sessionIdle: TimeSpan.FromMinutes(10), metrics,
            new NetconsoleTails(defaults.TailLinesPerHost, defaults.MaxSessions), captures));
        using var receiver = new UdpReceiver(new IPEndPoint(IPAddress.Loopback, 0), receiveBuffer, SourceAllowlist.Everyone,
            new SourceRateLimiter(defaults.RatePerSource, defaults.BurstPerSource), sink, metrics.Netconsole, NullLogger.Instance);
        Console.WriteLine($"{(bare ? "bare recvmmsg loop" : "netconsole path")}, receive buffer {receiver.EffectiveReceiveBuffer:N0} bytes, 1,024 hosts, 100-byte messages; load average {LoadAverage()}");
        var rates = new List<double>();
        var port = FreeUdpPort();
        var cpuRates = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            var received = metrics.Netconsole.Received.Value;
            var dropped = metrics.Netconsole.KernelDropped();
            sink.Hold();
            // More than the buffer holds: the kernel drops the excess, and what it kept is the drain's work.
            var fleet = new FleetSimulator(new FleetSettings
            {
                Hosts = 1024, DumpsPerSecond = 0, MessagesPerSecond = 1e9, Duration = TimeSpan.FromMinutes(1),
                MaxMessages = receiver.EffectiveReceiveBuffer / 256, CrashEveryMessages = 500, Seed = round,
                StreamSourcePort = port, // the same senders every round: sessions carry on, as a fleet's do
            }, null, receiver.LocalEndPoint);
            var sent = fleet.RunAsync(CancellationToken.None).GetAwaiter().GetResult().MessageDatagramsSent;
            var queued = sent - (metrics.Netconsole.KernelDropped() - dropped) - 1; // the one holding the gate is taken already
            var cpu = CpuSeconds();
            var released = sink.Release();
            while (metrics.Netconsole.Received.Value - received < queued + 1) Thread.Sleep(1);
            var seconds = Stopwatch.GetElapsedTime(released, sink.LastBatchEnd).TotalSeconds;
            var cpuRate = queued / (CpuSeconds() - cpu);
            var rate = queued / seconds;
            Console.WriteLine($"round {round + 1}: {queued:N0} queued datagrams drained in {seconds * 1000:F1} ms = {rate:N0}/s ({cpuRate:N0} per CPU-second) " +
                              $"(messages parsed {metrics.NetconsoleMessages.Value:N0}, crash reports captured {CaptureCounter.Count})");
            if (round < 2) continue; // the first rounds create the sessions and warm up the JIT
            rates.Add(rate);
            cpuRates.Add(cpuRate);
        }
        rates.Sort();
        cpuRates.Sort();
        Console.WriteLine($"median drain rate: {rates[rates.Count / 2]:N0} datagrams/s wall clock, {cpuRates[cpuRates.Count / 2]:N0} per CPU-second, " +
                          $"over {rates.Count} rounds; load average {LoadAverage()}");
    }

    /// <summary>CPU time this process used (getrusage: microseconds, where /proc's ticks are 10 ms).</summary>
    public static unsafe double CpuSeconds()
    {
        var usage = stackalloc long[18];
        return GetResourceUsage(0, usage) == 0 ? usage[0] + usage[1] / 1e6 + usage[2] + usage[3] / 1e6 : double.NaN;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getrusage")]
    private static extern unsafe int GetResourceUsage(int who, long* usage);

    private static int FreeUdpPort()
    {
        using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Any, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    /// <summary>Stands in for the analyst: the figure is the receive thread's, analysis runs elsewhere.</summary>
    private sealed class CaptureCounter : ReceiveActor
    {
        private static long _count;
        public static long Count => Interlocked.Read(ref _count);
        public CaptureCounter() => Receive<AnalyzeStreamCrash>(_ => Interlocked.Increment(ref _count));
    }

    private sealed class CountingSink : IDatagramSink
    {
        public string? OnDatagram(ReadOnlyMemory<byte> datagram, in SourceAddress source) => null;
        public void OnIdle() { }
    }

    /// <summary>Holds the receive loop on its next datagram until released, and notes when each batch ended.</summary>
    private sealed class GatedSink(IDatagramSink inner) : IDatagramSink
    {
        private readonly ManualResetEventSlim _open = new(true);
        private volatile bool _held;
        private long _lastBatchEnd;

        public long LastBatchEnd => Interlocked.Read(ref _lastBatchEnd);

        public void Hold() { _open.Reset(); _held = true; }

        public long Release()
        {
            var now = Stopwatch.GetTimestamp();
            _open.Set();
            return now;
        }

        public string? OnDatagram(ReadOnlyMemory<byte> datagram, in SourceAddress source)
        {
            if (_held) { _open.Wait(); _held = false; }
            return inner.OnDatagram(datagram, source);
        }

        public void OnBatchEnd()
        {
            inner.OnBatchEnd();
            Interlocked.Exchange(ref _lastBatchEnd, Stopwatch.GetTimestamp());
        }

        public void OnIdle() => inner.OnIdle();
    }
}
