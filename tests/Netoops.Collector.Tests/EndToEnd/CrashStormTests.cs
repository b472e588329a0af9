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
    public async Task A_storm_of_one_bug_is_counted_in_its_bucket_as_occurrences_of_the_first_analysis()
    {
        await using var collector = await TestCollector.StartAsync();
        await Senders.SendAsync(collector.Running.NetoopsEndPoint, Storm(1));
        await TestCollector.Eventually(async () => await collector.Running.Store.CountCrashesAsync() == 1, what: "the first crash, analysed");

        await Senders.SendAsync(collector.Running.NetoopsEndPoint, Storm(300, firstHost: 1));

        await TestCollector.Eventually(async () => await collector.Running.Store.CountCrashesAsync() == 301, what: "every crash of the storm");
        var metrics = collector.Running.Metrics;
        Assert.Equal(300, metrics.DumpsFolded.Value);
        Assert.Equal(0, metrics.DumpsDropped.Value);
        var bucket = Assert.Single((await collector.GetJsonAsync("/api/buckets")).GetProperty("buckets").EnumerateArray());
        Assert.Equal("WARNING in provoke_warn", bucket.GetProperty("title").GetString());
        Assert.Equal(301, bucket.GetProperty("crashes").GetInt64());
        var ids = (await collector.GetJsonAsync("/api/crashes?limit=1000")).GetProperty("crash_ids").EnumerateArray().Select(e => e.GetInt64()).ToList();
        var analysedBy = new List<string>();
        foreach (var id in ids) analysedBy.Add((await collector.GetJsonAsync($"/api/crashes/{id}")).GetProperty("analysed_by").GetString()!);
        Assert.Equal(1, analysedBy.Count(a => a == CrashAnalysedBy.Analysis));
        Assert.Equal(300, analysedBy.Count(a => a == CrashAnalysedBy.Fingerprint));
        var occurrence = await collector.GetJsonAsync($"/api/crashes/{ids.Max()}");
        Assert.Equal("6.1.0-56-cloud-amd64", occurrence.GetProperty("kernel").GetString());
        Assert.StartsWith("QEMU Standard PC", occurrence.GetProperty("hardware").GetString());
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
