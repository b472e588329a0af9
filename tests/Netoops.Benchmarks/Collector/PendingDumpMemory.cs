using System.Text;
using Akka.Actor;
using Netoops.Collector.Dumps;
using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;
using Netoops.Protocol.Packets;

namespace Netoops.Benchmarks.Collector;

/// <summary>
/// Checks the shards' memory accounting against the managed heap: 100,000 senders each open one
/// dump with two of its eight packets (a partial-dump flood frozen in place, no timeout reached),
/// then the heap growth is compared with what the shards counted (netoops_dumps_pending_bytes).
/// Run: dotnet tests/Netoops.Benchmarks/bin/Release/net10.0/Netoops.Benchmarks.dll pending-memory
/// </summary>
internal static class PendingDumpMemory
{
    public static void Run()
    {
        const int Senders = 100_000;
        using var system = ActorSystem.Create("memory", "akka.loglevel = WARNING");
        var metrics = new CollectorMetrics();
        var settings = new DumpShard.Settings(TimeSpan.FromMinutes(10), 32L << 20, 4L << 30, PacketLimits.Default);
        var sink = system.ActorOf(Props.Empty);
        var shards = DumpShards.Start(2, (_, _) => system.ActorOf(DumpShard.Props(settings, metrics, sink, new AnalysisBacklog(128L << 20, metrics))));
        var log = new StringBuilder();
        while (log.Length < 7 * PacketLayout.DataSize + 500) log.Append("[    1.000000] a boot line of ordinary length, link is up\n");
        var packets = DumpSlicer.Slice(new DumpHeader { KernelVersion = "6.1.0-56-cloud-amd64" }, Encoding.UTF8.GetBytes(log.ToString())).Packets;

        var pool = new PacketPool();
        var before = Heap();
        for (var s = 0; s < Senders; s++)
        {
            var source = SourceAddress.FromV4(0x7f020001 + (uint)s, 2004);
            foreach (var packet in packets.Take(2))
            {
                var buffer = pool.Rent(packet.Length);
                packet.Span.CopyTo(buffer);
                shards.For(source).Actor.Tell(new DumpPacket(source, buffer, packet.Length, DateTimeOffset.UtcNow, pool));
            }
        }
        while (metrics.DumpPacketsAccepted.Value < 2L * Senders) Thread.Sleep(50);
        var grown = Heap() - before;
        Console.WriteLine($"{metrics.DumpsPending.Value} dumps pending: heap grew {grown / 1048576.0:F0} MiB, shards counted {metrics.DumpsPendingBytes.Value / 1048576.0:F0} MiB "
            + $"({grown / (double)Senders:F0} vs {metrics.DumpsPendingBytes.Value / (double)Senders:F0} bytes a dump)");
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
