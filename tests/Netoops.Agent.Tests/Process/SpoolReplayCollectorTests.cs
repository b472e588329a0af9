using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Netoops.Agent.Tests.Crash;
using Netoops.Collector.Hosting;

namespace Netoops.Agent.Tests.Process;

/// <summary>
/// Issue 15 as a user meets it: a real agent process spools the dumps it could not send, then a
/// target is enabled and the spool is replayed into the real collector (in-process, real UDP on
/// loopback, SQLite). What counts is what the collector stored, read through its JSON API.
/// </summary>
[Collection("agent processes")]
public class SpoolReplayCollectorTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Dumps = 50;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Fifty_dumps_spooled_while_no_target_is_enabled_are_fifty_distinct_dumps_in_the_collector_once_one_is()
    {
        using var dir = new TempDirectory();
        await using var collector = await StartCollectorAsync(dir);
        using var http = new HttpClient { BaseAddress = collector.HttpUri };
        // The live rate limit would refuse 49 of the 50 oopses: this test is about the spool.
        using var agent = await AgentProcess.StartAsync(dir, settings: new Dictionary<string, string> { ["DumpRateLimitSeconds"] = "0" });

        var kmsg = Path.Combine(dir.Path, "kmsg");
        // One writer for all 50: a FIFO reopened per oops races the reader's reopen after EOF (EPIPE).
        KmsgWriter.WriteLines(kmsg, Enumerable.Range(100, Dumps).SelectMany(OopsAt));
        await AgentDumpTests.WaitForCounter(agent, "dumps_spooled", Dumps);

        AddTarget(agent, "netoops/late", collector.NetoopsEndPoint.Port);
        Assert.Equal(0, agent.Cli("target", "enable", "netoops/late").ExitCode);

        // The agent's word: the spool drains once a target reported Sent for each dump.
        await WaitForSpool(agent, empty: true);
        // The collector's word: every dump it assembled, stored once per (source, boot_id, dump_id, type).
        var stored = 0L;
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            await collector.FlushAsync(TimeSpan.FromSeconds(30));
            stored = await StoredCrashes(http);
            if (stored >= Dumps) break;
            await Task.Delay(200);
        }
        var metrics = await http.GetStringAsync("metrics");
        Assert.True(stored == Dumps,
            $"{Dumps} dumps spooled, {stored} stored; collector: " +
            string.Join(", ", metrics.Split('\n').Where(l => l.StartsWith("netoops_dump", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task A_kill_9_during_the_replay_and_a_restart_still_store_every_spooled_dump_once()
    {
        using var dir = new TempDirectory();
        await using var collector = await StartCollectorAsync(dir);
        using var http = new HttpClient { BaseAddress = collector.HttpUri };
        var settings = new Dictionary<string, string> { ["DumpRateLimitSeconds"] = "0" };
        var first = await AgentProcess.StartAsync(dir, settings: settings);
        KmsgWriter.WriteLines(Path.Combine(dir.Path, "kmsg"), Enumerable.Range(100, Dumps).SelectMany(OopsAt));
        await AgentDumpTests.WaitForCounter(first, "dumps_spooled", Dumps);

        // The collector knows a sender by address and port: the restarted agent's target keeps its
        // configured local_port, as a target of the agent's configuration would.
        var localPort = AgentProcess.FreeUdpPort();
        // A kill -9 between a dump's Sent and the removal of its file (the window that stored dumps
        // twice) is a few milliseconds wide and the collector lags the agent, so no poll can aim at
        // it. Its effect is put on disk instead: the files as they were before the replay (each with
        // the id it was first sent under) are kept, and after a real kill mid-replay the removed ones
        // are put back, as if the kill had come after their Sent but before their removal.
        var spoolDir = Path.Combine(dir.Path, "state", "spool");
        var before = Directory.EnumerateFiles(spoolDir, "*.dump").ToDictionary(f => f, File.ReadAllBytes);
        Assert.Equal(Dumps, before.Count);

        AddTarget(first, "netoops/late", collector.NetoopsEndPoint.Port, localPort);
        Assert.Equal(0, first.Cli("target", "enable", "netoops/late").ExitCode);
        var patience = DateTime.UtcNow + Patience;
        while (Directory.EnumerateFiles(spoolDir, "*.dump").Count() > Dumps - 3 && DateTime.UtcNow < patience) await Task.Delay(2);
        first.Kill9();
        first.Dispose();
        var left = Directory.EnumerateFiles(spoolDir, "*.dump").Count();
        Assert.True(left is > 0 and < Dumps, $"not mid-replay at the kill: {left} files left");
        var storedAtKill = await WaitForStored(collector, http, atLeast: Dumps - left);
        var restored = 0;
        foreach (var (path, bytes) in before.Where(f => !File.Exists(f.Key)))
        {
            File.WriteAllBytes(path, bytes);
            restored++;
        }

        // Same state dir: the files left, with the ids they were sent under, replay once a target is enabled.
        using var second = await AgentProcess.StartAsync(dir, settings: settings);
        AddTarget(second, "netoops/late", collector.NetoopsEndPoint.Port, localPort);
        Assert.Equal(0, second.Cli("target", "enable", "netoops/late").ExitCode);
        await WaitForSpool(second, empty: true);
        // A marker after the replays, from the same source: once it is stored, every replayed packet
        // before it has been through the collector, so the count below is final, not a snapshot.
        KmsgWriter.WriteLines(Path.Combine(dir.Path, "kmsg"), OopsAt(1_000));

        var stored = await WaitForStored(collector, http, atLeast: Dumps + 1) - 1;
        var metrics = await http.GetStringAsync("metrics");
        output.WriteLine($"{Dumps} spooled; kill -9 with {left} files left, {storedAtKill} stored; {restored} removed files put back; {stored} stored in the end; " +
                         string.Join(", ", metrics.Split('\n').Where(l => l.StartsWith("netoops_dump", StringComparison.Ordinal)).Take(5)));
        Assert.True(stored == Dumps,
            $"{Dumps} dumps spooled, {storedAtKill} stored at the kill, {left} files left, {restored} put back; {stored} stored in the end; collector: " +
            string.Join(", ", metrics.Split('\n').Where(l => l.StartsWith("netoops_dump", StringComparison.Ordinal))));
    }

    /// <summary>Polls the collector until it stored at least <paramref name="atLeast"/> crashes (or patience ends); the count.</summary>
    private static async Task<long> WaitForStored(RunningCollector collector, HttpClient http, long atLeast)
    {
        var stored = 0L;
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            await collector.FlushAsync(TimeSpan.FromSeconds(30));
            stored = await StoredCrashes(http);
            if (stored >= atLeast) break;
            await Task.Delay(20);
        }
        return stored;
    }

    internal static Task<RunningCollector> StartCollectorAsync(TempDirectory dir)
    {
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        return CollectorHost.StartAsync(new CollectorOptions
        {
            Netoops = loopback,
            Netconsole = loopback,
            Http = loopback,
            Database = "sqlite:" + Path.Combine(dir.Path, "collector.db"),
        }, configureLogging: logging => logging.SetMinimumLevel(LogLevel.Warning));
    }

    /// <summary>The oops of the crash tests, printed at another second of uptime.</summary>
    internal static IEnumerable<string> OopsAt(int second) =>
        CrashWatchTests.Oops.Select(line => $"[{second,5}.{line[7..]}");

    internal static void AddTarget(AgentProcess agent, string target, int remotePort, int? localPort = null)
    {
        Assert.Equal(0, agent.Cli("target", "add", target).ExitCode);
        foreach (var (attribute, value) in new[]
                 {
                     ("dev_name", "lo"), ("local_ip", "127.0.0.1"), ("local_port", (localPort ?? AgentProcess.FreeUdpPort()).ToString()),
                     ("remote_ip", "127.0.0.1"), ("remote_port", remotePort.ToString()),
                 })
        {
            var set = agent.Cli("target", "set", target, attribute, value);
            Assert.True(set.ExitCode == 0, set.Stderr);
        }
    }

    internal static async Task<long> StoredCrashes(HttpClient http)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync("api/buckets"));
        return doc.RootElement.GetProperty("buckets").EnumerateArray().Sum(b => b.GetProperty("crashes").GetInt64());
    }

    internal static async Task WaitForSpool(AgentProcess agent, bool empty)
    {
        using var client = agent.Client();
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var counters = (await client.Status()).Counters;
            if ((counters.GetValueOrDefault("spool_dumps") == 0) == empty) return;
            await Task.Delay(100);
        }
        Assert.Fail($"the spool did not become {(empty ? "empty" : "non-empty")}:\n{agent.Output}");
    }
}
