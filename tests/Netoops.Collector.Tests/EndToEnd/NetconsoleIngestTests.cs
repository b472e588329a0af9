using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Netoops.Collector.Tests.Support;
using Netoops.Protocol.Kmsg;
using Netoops.Protocol.Netconsole;

namespace Netoops.Collector.Tests.EndToEnd;

public sealed class NetconsoleIngestTests
{
    private static readonly Regex Timestamp = new(@"^\[ *[0-9.]+\] ", RegexOptions.Compiled);

    /// <summary>Extended datagrams for lines, numbered from <paramref name="firstSeq"/>, timestamps stripped as printk records carry them apart.</summary>
    private static IEnumerable<ReadOnlyMemory<byte>> Extended(IEnumerable<string> lines, ulong firstSeq = 100, ulong timeBase = 1_000_000)
    {
        var seq = firstSeq;
        foreach (var line in lines)
        {
            var record = new KmsgRecord(4, seq, timeBase + seq * 10, Timestamp.Replace(line, ""));
            foreach (var datagram in ExtendedWriter.Write(record, release: "6.1.0-56-cloud-amd64")) yield return datagram;
            seq++;
        }
    }

    [Fact]
    public async Task A_warning_on_an_extended_stream_is_stored_as_a_netconsole_crash_with_the_lines_around_it()
    {
        await using var collector = await TestCollector.StartAsync();
        var lines = KernelLogs.BootLines(20).TrimEnd('\n').Split('\n').Concat(KernelLogs.WarnReport).Append("after the report");

        await Senders.SendAsync(collector.Running.NetconsoleEndPoint, Extended(lines));

        await TestCollector.Eventually(async () => await collector.Running.Store.CountCrashesAsync() == 1, what: "a netconsole crash");
        var id = (await collector.GetJsonAsync("/api/crashes")).GetProperty("crash_ids")[0].GetInt64();
        var crash = await collector.GetJsonAsync($"/api/crashes/{id}");
        Assert.Equal("netconsole", crash.GetProperty("origin").GetString());
        Assert.Equal("WARNING in provoke_warn", crash.GetProperty("title").GetString());
        Assert.Equal("6.1.0-56-cloud-amd64", crash.GetProperty("kernel").GetString());
        Assert.True(crash.GetProperty("complete").GetBoolean());
        Assert.Contains("boot line 0-19", crash.GetProperty("log_text").GetString());
        var tail = (await collector.GetJsonAsync("/api/hosts/127.0.0.1/tail")).GetProperty("lines");
        Assert.Equal("after the report", tail[tail.GetArrayLength() - 1].GetString());
        Assert.Equal(0, collector.Running.Metrics.NetconsoleSequenceGaps.Value);
    }

    [Fact]
    public async Task Sequence_gaps_and_a_reboot_are_counted()
    {
        await using var collector = await TestCollector.StartAsync();
        using var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var target = collector.Running.NetconsoleEndPoint;

        await Senders.SendAsync(target, Extended(["one", "two"], firstSeq: 10), sender);
        await Senders.SendAsync(target, Extended(["five"], firstSeq: 15), sender);
        await Senders.SendAsync(target, Extended(["after reboot"], firstSeq: 11, timeBase: 5), sender);
        await Senders.SendAsync(target, Extended(["two again"], firstSeq: 12, timeBase: 5), sender);

        var metrics = collector.Running.Metrics;
        await TestCollector.Eventually(() => Task.FromResult(metrics.NetconsoleMessages.Value == 5), what: "five messages");
        Assert.Equal(1, metrics.NetconsoleSequenceGaps.Value);
        Assert.Equal(1, metrics.NetconsoleSequenceResets.Value);
    }

    [Fact]
    public async Task A_netconsole_only_host_is_listed_in_the_hosts_api_with_its_loss()
    {
        // On main before this, /api/hosts listed only hosts with a stored crash, and the loss a
        // stream showed reached no host entry (and the missing-messages counter stayed 0).
        await using var collector = await TestCollector.StartAsync();
        using var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var target = collector.Running.NetconsoleEndPoint;

        await Senders.SendAsync(target, Extended(["ten", "eleven"], firstSeq: 10), sender);
        await Senders.SendAsync(target, Extended(["fifteen"], firstSeq: 15), sender);      // 12-14 missing
        await Senders.SendAsync(target, Extended(["thirteen"], firstSeq: 13), sender);     // late
        await Senders.SendAsync(target, Extended(["fifteen"], firstSeq: 15), sender);      // duplicate
        await Senders.SendAsync(target, Extended(["reboot"], firstSeq: 11, timeBase: 5), sender); // a seen number, another time

        var metrics = collector.Running.Metrics;
        await TestCollector.Eventually(() => Task.FromResult(metrics.NetconsoleMessages.Value == 6), what: "six messages");
        var hosts = (await collector.GetJsonAsync("/api/hosts")).GetProperty("hosts");
        var host = Assert.Single(hosts.EnumerateArray());
        Assert.Equal("127.0.0.1", host.GetProperty("address").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, host.GetProperty("id").ValueKind);
        Assert.Equal(0, host.GetProperty("crashes").GetInt64());
        var stream = host.GetProperty("netconsole");
        Assert.Equal(6, stream.GetProperty("messages").GetInt64());
        Assert.Equal(1, stream.GetProperty("gaps").GetInt64());
        Assert.Equal(3, stream.GetProperty("missing").GetInt64());
        Assert.Equal(1, stream.GetProperty("late").GetInt64());
        Assert.Equal(1, stream.GetProperty("duplicates").GetInt64());
        Assert.Equal(1, stream.GetProperty("resets").GetInt64());
        Assert.Equal("6.1.0-56-cloud-amd64", stream.GetProperty("release").GetString());
        Assert.Equal(3, metrics.NetconsoleMissingMessages.Value);
    }

    [Fact]
    public async Task A_message_longer_than_a_datagram_is_reassembled_from_its_fragments()
    {
        await using var collector = await TestCollector.StartAsync();
        var longLine = "long " + new string('x', 2500) + " end";
        var datagrams = Extended([longLine]).ToList();
        Assert.True(datagrams.Count >= 3);
        datagrams.Reverse();

        await Senders.SendAsync(collector.Running.NetconsoleEndPoint, datagrams);

        await TestCollector.Eventually(() => Task.FromResult(collector.Running.Metrics.NetconsoleFragmentsReassembled.Value == 1), what: "reassembly");
        var tail = (await collector.GetJsonAsync("/api/hosts/127.0.0.1/tail")).GetProperty("lines");
        Assert.Equal(longLine, tail[0].GetString());
    }

    [Fact]
    public async Task A_basic_format_stream_cut_mid_line_still_yields_the_crash()
    {
        await using var collector = await TestCollector.StartAsync();
        var text = Encoding.UTF8.GetBytes(KernelLogs.WithWarn(bootLines: 30));

        await Senders.SendAsync(collector.Running.NetconsoleEndPoint, NetconsoleBasic.Chunks(text));

        await TestCollector.Eventually(async () => await collector.Running.Store.CountCrashesAsync() == 1, what: "a crash from basic netconsole");
        var bucket = (await collector.GetJsonAsync("/api/buckets")).GetProperty("buckets")[0];
        Assert.Equal("WARNING in provoke_warn", bucket.GetProperty("title").GetString());
    }
}

public sealed class NetconsoleWarmupTests
{
    private static readonly Netoops.Collector.Netconsole.NetconsoleSession.Settings Settings = new(50, 400, TimeSpan.FromSeconds(2));

    [Fact]
    public void The_rehearsal_takes_every_datagram_it_sends()
    {
        // Null means a datagram went missing or was never counted: the path it was meant to compile did not run.
        Assert.NotNull(Netoops.Collector.Netconsole.NetconsoleWarmup.Run(Settings));
    }

    [Fact]
    public async Task A_started_collector_has_counted_nothing_of_its_rehearsal()
    {
        await using var collector = await TestCollector.StartAsync();
        var metrics = collector.Running.Metrics;

        Assert.Equal(0, metrics.Netconsole.Received.Value);
        Assert.Equal(0, metrics.NetconsoleMessages.Value);
        Assert.Equal(0, metrics.NetconsoleSessions.Value);
        Assert.Empty((await collector.GetJsonAsync("/api/crashes")).GetProperty("crash_ids").EnumerateArray());
    }
}
