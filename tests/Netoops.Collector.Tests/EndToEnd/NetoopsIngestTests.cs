using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Netoops.Collector.Dumps;
using Netoops.Collector.Loadgen;
using Netoops.Collector.Tests.Support;
using Netoops.Protocol.Packets;

namespace Netoops.Collector.Tests.EndToEnd;

/// <summary>Real UDP into a real collector; what was stored is read back through the HTTP API.</summary>
public sealed class NetoopsIngestTests
{
    private static async Task<JsonElement> SingleBucketAsync(TestCollector collector)
    {
        JsonElement buckets = default;
        await TestCollector.Eventually(async () =>
        {
            buckets = (await collector.GetJsonAsync("/api/buckets")).GetProperty("buckets");
            return buckets.GetArrayLength() > 0;
        }, what: "a bucket");
        return Assert.Single(buckets.EnumerateArray());
    }

    private static async Task<JsonElement> OnlyCrashAsync(TestCollector collector, long bucketId)
    {
        var ids = (await collector.GetJsonAsync($"/api/crashes?bucket={bucketId}")).GetProperty("crash_ids");
        return await collector.GetJsonAsync($"/api/crashes/{Assert.Single(ids.EnumerateArray()).GetInt64()}");
    }

    [Fact]
    public async Task Three_rounds_through_a_lossy_duplicating_reordering_proxy_store_one_complete_dump()
    {
        await using var collector = await TestCollector.StartAsync();
        using var proxy = new LossyUdpProxy(collector.Running.NetoopsEndPoint, new Impairment(loss: 0.2, duplicate: 0.1, reorder: 0.2, seed: 7));
        var log = KernelLogs.WithWarn(bootLines: 200);
        var dump = Senders.Slice(log);

        await Senders.SendAsync(proxy.EndPoint, dump.SendOrder(rounds: 3));

        var bucket = await SingleBucketAsync(collector);
        Assert.Equal("WARNING in provoke_warn", bucket.GetProperty("title").GetString());
        Assert.Equal(1, bucket.GetProperty("crashes").GetInt64());
        var crash = await OnlyCrashAsync(collector, bucket.GetProperty("id").GetInt64());
        Assert.True(crash.GetProperty("complete").GetBoolean());
        Assert.Empty(crash.GetProperty("missing").EnumerateArray());
        Assert.Equal(log, crash.GetProperty("log_text").GetString());
        Assert.Equal("6.1.0-56-cloud-amd64", crash.GetProperty("kernel").GetString());
        Assert.Equal("0xffffffffc0a01011", crash.GetProperty("registers").GetProperty("ip").GetString());
        Assert.Equal("b12", crash.GetProperty("labels").GetProperty("rack").GetString());
        Assert.Equal("QEMU Standard PC (i440FX + PIIX, 1996)", crash.GetProperty("hardware").GetString());
        Assert.True(collector.Running.Metrics.DumpPacketsDuplicate.Value > 0);
    }

    [Fact]
    public async Task A_dump_missing_its_oldest_packets_is_stored_partial_after_the_timeout_with_its_oops()
    {
        await using var collector = await TestCollector.StartAsync();
        var dump = Senders.Slice(KernelLogs.WithWarn(bootLines: 100));
        Assert.True(dump.Packets.Count > 4);

        // Packet 0 carries the newest text: the two newest packets hold the whole report.
        await Senders.SendAsync(collector.Running.NetoopsEndPoint, dump.Packets.Take(2));

        var bucket = await SingleBucketAsync(collector);
        Assert.Equal("WARNING in provoke_warn", bucket.GetProperty("title").GetString());
        var crash = await OnlyCrashAsync(collector, bucket.GetProperty("id").GetInt64());
        Assert.False(crash.GetProperty("complete").GetBoolean());
        Assert.Equal(Enumerable.Range(2, dump.Packets.Count - 2), crash.GetProperty("missing").EnumerateArray().Select(m => m.GetInt32()));
        Assert.Equal(1, collector.Running.Metrics.DumpsPartial.Value);
    }

    [Fact]
    public async Task Analysis_runs_on_threads_of_its_own_below_the_thread_pool()
    {
        await using var collector = await TestCollector.StartAsync();
        await Senders.SendAsync(collector.Running.NetoopsEndPoint, Senders.Slice(KernelLogs.WithWarn(bootLines: 30)).Packets);
        await SingleBucketAsync(collector);

        var threads = ThreadNiceValues.OfThisProcess();
        Assert.Contains(threads, t => t.Name.StartsWith("netoops-analysi") && t.Nice == Netoops.Collector.Hosting.BackgroundWork.Nice);
        Assert.DoesNotContain(threads, t => t.Name.StartsWith(".NET TP Worker") && t.Nice == Netoops.Collector.Hosting.BackgroundWork.Nice);
    }

    [Fact]
    public async Task Retransmit_rounds_after_a_complete_dump_are_counted_as_duplicates_not_stored_again()
    {
        await using var collector = await TestCollector.StartAsync();
        var dump = Senders.Slice(KernelLogs.WithWarn(bootLines: 30));
        using var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await Senders.SendAsync(collector.Running.NetoopsEndPoint, dump.Packets, sender);
        await SingleBucketAsync(collector);
        await Senders.SendAsync(collector.Running.NetoopsEndPoint, dump.SendOrder(rounds: 2), sender);
        await TestCollector.Eventually(() => Task.FromResult(collector.Running.Metrics.DumpPacketsDuplicate.Value == 2 * dump.Packets.Count), what: "duplicates counted");
        await Task.Delay(1500); // past the 1 s dump timeout: a wrongly started second dump would be stored by now
        await collector.Running.FlushAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(1, await collector.Running.Store.CountCrashesAsync());
    }

    [Fact]
    public async Task Dumps_from_many_senders_are_kept_apart_by_source_boot_and_dump_id()
    {
        await using var collector = await TestCollector.StartAsync();
        var first = Senders.Slice(KernelLogs.WithWarn(10, seed: 1), Senders.Header(dumpId: 1));
        var second = Senders.Slice(KernelLogs.WithWarn(10, seed: 2), Senders.Header(dumpId: 2));
        using var a = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var b = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        // Interleaved: same dump id from two senders, two dump ids from one sender.
        await Senders.SendAsync(collector.Running.NetoopsEndPoint, first.Packets, a);
        await Senders.SendAsync(collector.Running.NetoopsEndPoint, first.Packets, b);
        await Senders.SendAsync(collector.Running.NetoopsEndPoint, second.Packets, a);

        await TestCollector.Eventually(async () => await collector.Running.Store.CountCrashesAsync() == 3, what: "three crashes");
        var bucket = await SingleBucketAsync(collector);
        Assert.Equal(3, bucket.GetProperty("crashes").GetInt64());
        Assert.Equal(3, collector.Running.Metrics.DumpsComplete.Value);
    }

    [Fact]
    public async Task A_soft_dump_without_a_crash_is_stored_under_the_soft_dump_title()
    {
        await using var collector = await TestCollector.StartAsync();
        var dump = Senders.Slice(KernelLogs.BootLines(20), Senders.Header(type: DumpType.Soft));

        await Senders.SendAsync(collector.Running.NetoopsEndPoint, dump.Packets);

        var bucket = await SingleBucketAsync(collector);
        Assert.Equal("soft dump", bucket.GetProperty("title").GetString());
        Assert.Equal("soft", bucket.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_soft_dump_is_a_soft_dump_even_when_its_log_holds_a_report()
    {
        await using var collector = await TestCollector.StartAsync();
        // The log a soft dump sends is the whole recent log: an earlier WARN (dumped on its own
        // when it happened) must not title it, or every later soft dump joins that bug's bucket.
        var dump = Senders.Slice(KernelLogs.WithWarn(bootLines: 20), Senders.Header(type: DumpType.Soft));

        await Senders.SendAsync(collector.Running.NetoopsEndPoint, dump.Packets);

        var bucket = await SingleBucketAsync(collector);
        Assert.Equal("soft dump", bucket.GetProperty("title").GetString());
        Assert.Equal("soft", bucket.GetProperty("kind").GetString());
        // The report found inside is listed with the soft dump.
        var crash = await OnlyCrashAsync(collector, bucket.GetProperty("id").GetInt64());
        Assert.Contains("provoke_warn", crash.GetProperty("report").GetString());
    }

    [Fact]
    public async Task Partial_dumps_beyond_the_memory_bound_are_evicted_oldest_first_and_counted()
    {
        var log = KernelLogs.WithWarn(bootLines: 60);
        var newest = Senders.Slice(log).Packets[0];
        Assert.True(NetoopsPacket.TryDecode(newest.Span, out var decoded) == PacketError.None);
        // A dump counts what arrived (one packet each here), not what packet_count promises. The one
        // sender hashes to one of two shards, each holding half the overall budget: room for three
        // and a half such dumps there.
        var oneDump = PendingDump.OverheadBytes + PendingDump.CostOf(PacketPool.BufferSize);
        await using var collector = await TestCollector.StartAsync(o => o with
        {
            DumpShards = 2,
            MaxPendingBytes = 2 * (7 * oneDump / 2),
            DumpTimeout = TimeSpan.FromSeconds(30),
        });
        for (ushort id = 1; id <= 5; id++)
        {
            var dump = Senders.Slice(log, Senders.Header(dumpId: id));
            await Senders.SendAsync(collector.Running.NetoopsEndPoint, dump.Packets.Take(1));
        }

        await TestCollector.Eventually(() => Task.FromResult(collector.Running.Metrics.DumpsEvicted.Value == 2), what: "two evictions");
        await TestCollector.Eventually(async () => await collector.Running.Store.CountCrashesAsync() == 2, what: "evicted dumps stored");
        Assert.Equal(3, collector.Running.Metrics.DumpsPending.Value);
        var ids = (await collector.GetJsonAsync("/api/crashes")).GetProperty("crash_ids").EnumerateArray().Select(i => i.GetInt64()).ToList();
        var dumpIds = new List<long>();
        foreach (var id in ids)
            dumpIds.Add((await collector.GetJsonAsync($"/api/crashes/{id}")).GetProperty("dump_id").GetInt64());
        Assert.Equal([1L, 2L], dumpIds.Order());
    }
}
