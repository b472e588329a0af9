using System.Net;
using System.Net.Sockets;
using Netoops.Collector.Storage;
using Netoops.Collector.Tests.Analysis;
using Netoops.Collector.Tests.Support;

namespace Netoops.Collector.Tests.EndToEnd;

public sealed class CrashStormTests
{
    private static IEnumerable<ReadOnlyMemory<byte>> Storm(int hosts, int firstHost = 0) =>
        Enumerable.Range(firstHost, hosts).SelectMany(host =>
            Senders.Slice(ReportFingerprintTests.AsHostPrints(host), Senders.Header(dumpId: (ushort)host)).Packets);

    [Fact]
    public async Task A_storm_of_one_bug_is_counted_in_its_bucket_with_most_dumps_as_occurrences_of_the_first_analysis()
    {
        // A backlog of 1 MiB: the 300 dumps (~0.8 MB) arrive faster than they can be analysed, so
        // analysis falls behind and the analysts fold what matches the first analysis.
        await using var collector = await TestCollector.StartAsync(o => o with { AnalysisBacklogBytes = 1 << 20 });
        await Senders.SendAsync(collector.Running.NetoopsEndPoint, Storm(1));
        await TestCollector.Eventually(async () => await collector.Running.Store.CountCrashesAsync() == 1, what: "the first crash, analysed");

        await Senders.SendAsync(collector.Running.NetoopsEndPoint, Storm(300, firstHost: 1));

        await TestCollector.Eventually(async () => await collector.Running.Store.CountCrashesAsync() == 301, what: "every crash of the storm");
        var metrics = collector.Running.Metrics;
        Assert.Equal(0, metrics.DumpsDropped.Value);
        var bucket = Assert.Single((await collector.GetJsonAsync("/api/buckets")).GetProperty("buckets").EnumerateArray());
        Assert.Equal("WARNING in provoke_warn", bucket.GetProperty("title").GetString());
        Assert.Equal(301, bucket.GetProperty("crashes").GetInt64());
        var ids = (await collector.GetJsonAsync("/api/crashes?limit=1000")).GetProperty("crash_ids").EnumerateArray().Select(e => e.GetInt64()).ToList();
        var crashes = new List<System.Text.Json.JsonElement>();
        foreach (var id in ids) crashes.Add(await collector.GetJsonAsync($"/api/crashes/{id}"));
        var folded = crashes.Where(c => c.GetProperty("analysed_by").GetString() == CrashAnalysedBy.Fingerprint).ToList();
        Assert.Equal(metrics.DumpsFolded.Value, folded.Count);
        Assert.NotEmpty(folded);
        Assert.All(folded, c =>
        {
            Assert.Equal("6.1.0-56-cloud-amd64", c.GetProperty("kernel").GetString());
            Assert.StartsWith("QEMU Standard PC", c.GetProperty("hardware").GetString());
            Assert.Equal("", c.GetProperty("log_text").GetString());
        });
    }

    [Fact]
    public async Task A_host_over_its_crashes_per_minute_is_counted_not_stored_and_a_quiet_host_is_stored()
    {
        // On main before this, every crash of a flooding host was a row (927k junk crashes, 1.38 GB in 75 s).
        await using var collector = await TestCollector.StartAsync(o => o with { HostCrashesPerMinute = 5 });
        using var loud = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var quiet = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));

        await Senders.SendAsync(collector.Running.NetoopsEndPoint, Storm(20), loud);
        await Senders.SendAsync(collector.Running.NetoopsEndPoint, Storm(1, firstHost: 500), quiet);

        var metrics = collector.Running.Metrics;
        await TestCollector.Eventually(() => Task.FromResult(metrics.StoreCrashesOverHostLimit.Value == 15), what: "15 over the limit");
        await TestCollector.Eventually(async () => await collector.Running.Store.CountCrashesAsync() == 6, what: "5 + 1 stored");
        var hosts = (await collector.GetJsonAsync("/api/hosts")).GetProperty("hosts").EnumerateArray()
            .ToDictionary(h => h.GetProperty("address").GetString()!, h => (Crashes: h.GetProperty("crashes").GetInt64(), Over: h.GetProperty("crashes_over_limit").GetInt64()));
        Assert.Equal((5, 15), hosts["127.0.0.1"]);
        Assert.Equal((1, 0), hosts["127.0.0.2"]);
    }

    [Fact]
    public async Task A_different_bug_in_the_storm_is_analysed_on_its_own()
    {
        await using var collector = await TestCollector.StartAsync();
        await Senders.SendAsync(collector.Running.NetoopsEndPoint, Storm(20));
        await TestCollector.Eventually(async () => await collector.Running.Store.CountCrashesAsync() == 20, what: "the storm");

        var other = ReportFingerprintTests.AsHostPrints(99, function: "provoke_other");
        await Senders.SendAsync(collector.Running.NetoopsEndPoint, Senders.Slice(other, Senders.Header(dumpId: 99)).Packets);

        await TestCollector.Eventually(async () => await collector.Running.Store.CountCrashesAsync() == 21, what: "the other bug");
        var titles = (await collector.GetJsonAsync("/api/buckets")).GetProperty("buckets").EnumerateArray()
            .Select(b => b.GetProperty("title").GetString()).Order().ToList();
        Assert.Equal(["WARNING in provoke_other", "WARNING in provoke_warn"], titles);
    }
}
