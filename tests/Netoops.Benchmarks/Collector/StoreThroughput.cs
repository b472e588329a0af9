using System.Diagnostics;
using System.Text;
using Netoops.Collector.Storage;

namespace Netoops.Benchmarks.Collector;

/// <summary>
/// Crashes stored per second through <see cref="CrashStore.WriteAsync"/> in the store writer's
/// batch size, into a real database: a fresh SQLite file, or a PostgreSQL URL (an empty database).
/// The records look like the load generator's dumps: ~3 KB of log, a report, 21 registers, a
/// two-label user blob, 1,000 hosts and 50 buckets.
/// Run: dotnet run -c Release --project tests/Netoops.Benchmarks -- store [sqlite:PATH|postgres://…] [crashes per pass] [batch]
/// </summary>
internal static class StoreThroughput
{
    private const int Passes = 5;

    public static async Task RunAsync(string[] args)
    {
        var scratch = Path.Combine(Path.GetTempPath(), "netoops-store-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var url = args.Length > 0 && args[0].Length > 0 ? args[0] : $"sqlite:{Path.Combine(scratch, "bench.db")}";
        try
        {
            await RunAsync(url, args);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }

    private static async Task RunAsync(string url, string[] args)
    {
        var perPass = args.Length > 1 ? int.Parse(args[1]) : 20_000;
        var batchSize = args.Length > 2 ? int.Parse(args[2]) : 500;
        var store = await CrashStore.OpenAsync(StoreLocation.Parse(url));
        var records = Enumerable.Range(0, perPass).Select(Record).ToList();
        Console.WriteLine($"{store.Location.Display}: {Passes} passes of {perPass} crashes in batches of {batchSize}");
        var rates = new List<double>();
        for (var pass = 1; pass <= Passes; pass++)
        {
            var clock = Stopwatch.StartNew();
            for (var at = 0; at < records.Count; at += batchSize)
                await store.WriteAsync(records.GetRange(at, Math.Min(batchSize, records.Count - at)));
            var rate = perPass / clock.Elapsed.TotalSeconds;
            rates.Add(rate);
            Console.WriteLine($"pass {pass}: {rate:F0} crashes/s ({LoadAverage.Now()})");
        }
        rates.Sort();
        Console.WriteLine($"median: {rates[rates.Count / 2]:F0} crashes/s stored ({store.Engine()})");
    }

    private static readonly string Log = BuildLog();

    private static string BuildLog()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 20; i++)
            text.Append($"[{i / 10.0,12:F6}] virtio_net virtio0 eth0: boot line {i} renamed, link is up, 1000Mbps full duplex\n");
        text.Append("""
            [   12.345670] ------------[ cut here ]------------
            [   12.345671] WARNING: CPU: 0 PID: 137 at drivers/misc/provoke.c:9 provoke_warn+0x11/0x20 [provoke]
            [   12.345673] CPU: 0 PID: 137 Comm: sh Tainted: G           OE      6.1.0-56-cloud-amd64 #1 Debian 6.1.192-2
            [   12.345674] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014
            [   12.345675] RIP: 0010:provoke_warn+0x11/0x20 [provoke]
            [   12.345679] Call Trace:
            [   12.345681]  provoke_write+0x6b/0xf0 [provoke]
            [   12.345682]  vfs_write+0xb8/0x3a0
            [   12.345686] ---[ end trace 0000000000000000 ]---

            """);
        return text.ToString();
    }

    private static readonly Dictionary<string, ulong> Registers = Enumerable.Range(0, 21).ToDictionary(i => $"r{i}", i => 0xffffffff81000000UL + (ulong)i);

    private static CrashRecord Record(int i) => new()
    {
        Origin = CrashOrigin.Netoops,
        HostAddress = $"127.0.{i % 1000 / 250}.{i % 250 + 1}",
        Source = $"127.0.{i % 1000 / 250}.{i % 250 + 1}:2004",
        ReceivedAt = DateTimeOffset.UtcNow.AddMilliseconds(i),
        BucketKey = $"warn:provoke_warn_{i % 50}",
        Title = $"WARNING in provoke_warn_{i % 50}",
        Kind = "warn",
        Kernel = "6.1.0-56-cloud-amd64",
        BootId = (uint)i,
        DumpId = (ushort)i,
        DumpType = 1,
        Cpu = new CpuIdentity(0, 6, 85, 4),
        Machine = new MachineIdentity("QEMU Standard PC (i440FX + PIIX, 1996)", "", "1.16.2-debian-1.16.2-1 04/01/2014"),
        UserBlob = $"rack=b{i % 40} role=db",
        Registers = Registers,
        PacketCount = 4,
        Report = Log[Log.IndexOf("------------[ cut here", StringComparison.Ordinal)..],
        LogText = Log,
    };

    private static string Engine(this CrashStore store) => store.Location.Engine.ToString();
}
