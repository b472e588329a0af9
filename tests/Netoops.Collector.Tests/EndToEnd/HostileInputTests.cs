using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Netoops.Collector.Tests.Support;
using Netoops.Protocol.Packets;

namespace Netoops.Collector.Tests.EndToEnd;

public sealed class HostileInputTests
{
    [Fact]
    public async Task A_malformed_flood_moves_counters_by_kind_and_the_collector_still_stores_the_next_dump()
    {
        await using var collector = await TestCollector.StartAsync();
        var random = new Random(3);
        var valid = Senders.Slice(KernelLogs.WithWarn(10)).Packets[0].ToArray();
        var garbage = new List<ReadOnlyMemory<byte>>();
        for (var i = 0; i < 2000; i++)
        {
            var junk = new byte[random.Next(0, 1500)];
            random.NextBytes(junk);
            garbage.Add(junk);
            var wrongCount = (byte[])valid.Clone();
            BitConverter.TryWriteBytes(wrongCount.AsSpan(PacketLayout.PacketNoOffset), 1_000_000u);
            garbage.Add(wrongCount);
            garbage.Add(valid.AsMemory(0, 100));
        }
        var netconsoleJunk = new List<ReadOnlyMemory<byte>> { "4,1,1,-;an extended session starts"u8.ToArray() };
        for (var i = 0; i < 2000; i++) netconsoleJunk.Add("4,notanumber,1,-;x"u8.ToArray());
        using var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        await Senders.SendAsync(collector.Running.NetoopsEndPoint, garbage, sender);
        await Senders.SendAsync(collector.Running.NetconsoleEndPoint, netconsoleJunk, sender);
        await Senders.SendAsync(collector.Running.NetoopsEndPoint, Senders.Slice(KernelLogs.WithWarn(10), Senders.Header(dumpId: 9)).Packets);

        await TestCollector.Eventually(async () => await collector.Running.Store.CountCrashesAsync() == 1, what: "the dump after the flood");
        var netoops = collector.Running.Metrics.Netoops.Invalid;
        Assert.Equal(2000, netoops["packet_no_out_of_range"].Value);
        Assert.InRange(netoops["short_datagram"].Value, 2000, 2100); // the truncated packets, and junk under 2 bytes
        Assert.Equal(6000, netoops.Total);
        // The netconsole loop is another thread: its count is not ordered with the netoops dump.
        await TestCollector.Eventually(() => Task.FromResult(collector.Running.Metrics.Netconsole.Invalid["bad_sequence"].Value == 2000), what: "netconsole refusals");
        var metrics = await collector.Http.GetStringAsync("/metrics");
        Assert.Contains("netoops_ingest_invalid_total{channel=\"netoops\",kind=\"packet_no_out_of_range\"} 2000", metrics);
        Assert.Equal("ok\n", await collector.Http.GetStringAsync("/healthz"));
    }

    [Fact]
    public async Task First_fragments_announcing_huge_messages_hold_only_their_bytes_and_a_real_crash_still_gets_through()
    {
        await using var collector = await TestCollector.StartAsync();
        // The probe: 16,000 one-line datagrams from 300 ports, each the first piece of a 128 KiB
        // message. main held byte[total] + bool[total] for each: 4.25 GB RSS, then "Out of memory".
        var senders = Enumerable.Range(0, 300).Select(_ => new UdpClient(new IPEndPoint(IPAddress.Loopback, 0))).ToList();
        try
        {
            for (var i = 0; i < 16_000; i++)
            {
                var datagram = System.Text.Encoding.ASCII.GetBytes($"6,{i},1,-,ncfrag=0/131072;a fragment that never ends {i}");
                await senders[i % senders.Count].SendAsync(datagram, collector.Running.NetconsoleEndPoint);
            }
            await Senders.SendAsync(collector.Running.NetoopsEndPoint, Senders.Slice(KernelLogs.WithWarn(10)).Packets);
            await TestCollector.Eventually(async () => await collector.Running.Store.CountCrashesAsync() == 1, what: "the crash during the flood");

            var metrics = collector.Running.Metrics;
            await TestCollector.Eventually(() => Task.FromResult(metrics.Netconsole.Received.Value >= 15_000), what: "the flood to be read");
            // The gauge is set when the receive loop sweeps its sessions, at most a second apart.
            await TestCollector.Eventually(() => Task.FromResult(metrics.NetconsoleFragmentBytes.Value > 0), what: "the fragment gauge");
            // At most 32 incomplete messages a sender, each holding the ~40 bytes it carried.
            Assert.InRange(metrics.NetconsoleFragmentBytes.Value, 1, 300 * 32 * 64);
            Assert.True(metrics.NetconsoleFragmentsDropped.Value > 0, "the oldest pieces beyond 32 a sender are dropped and counted");
        }
        finally
        {
            foreach (var sender in senders) sender.Dispose();
        }
    }

    [Fact]
    public async Task Senders_outside_the_allowlist_are_counted_and_nothing_is_stored()
    {
        await using var collector = await TestCollector.StartAsync(o => o with { Allow = ["10.0.0.0/8"] });

        await Senders.SendAsync(collector.Running.NetoopsEndPoint, Senders.Slice(KernelLogs.WithWarn(10)).Packets);

        var metrics = collector.Running.Metrics.Netoops;
        await TestCollector.Eventually(() => Task.FromResult(metrics.NotAllowed.Value == metrics.Received.Value && metrics.Received.Value > 0), what: "refusals");
        await collector.Running.FlushAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, metrics.Accepted.Value);
        Assert.Equal(0, await collector.Running.Store.CountCrashesAsync());
    }

    [Fact]
    public async Task A_sender_over_its_rate_is_cut_off_and_counted()
    {
        await using var collector = await TestCollector.StartAsync(o => o with { RatePerSource = 10, BurstPerSource = 10 });
        var packets = Senders.Slice(KernelLogs.BootLines(300)).Packets;
        Assert.True(packets.Count > 20);

        await Senders.SendAsync(collector.Running.NetoopsEndPoint, packets);

        var metrics = collector.Running.Metrics.Netoops;
        await TestCollector.Eventually(() => Task.FromResult(metrics.Received.Value == packets.Count), what: "all received");
        Assert.InRange(metrics.Accepted.Value, 10, 12);
        Assert.Equal(packets.Count - metrics.Accepted.Value, metrics.RateLimited.Value);
    }

    [Theory]
    [InlineData("/api/buckets?from=yesterday", 400, "from must be")]
    [InlineData("/api/buckets?cpu_vendor=Intle", 400, "cpu_vendor")]
    [InlineData("/api/buckets?blob=novalue", 400, "key=value")]
    [InlineData("/api/buckets?limit=0", 400, "limit")]
    [InlineData("/api/crashes?bucket=x", 400, "bucket")]
    [InlineData("/api/buckets/999", 404, "no bucket 999")]
    [InlineData("/api/crashes/999", 404, "no crash 999")]
    public async Task Bad_queries_and_unknown_ids_get_an_explained_json_error(string path, int status, string explanation)
    {
        await using var collector = await TestCollector.StartAsync();

        using var response = await collector.Http.GetAsync(path);

        Assert.Equal(status, (int)response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString();
        Assert.Contains(explanation, error);
    }
}
