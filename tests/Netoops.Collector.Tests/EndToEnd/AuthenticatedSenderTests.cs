using System.Net;
using System.Net.Sockets;
using System.Text;
using Netoops.Collector.Tests.Support;
using Netoops.Protocol.Packets;

namespace Netoops.Collector.Tests.EndToEnd;

/// <summary>A collector with a fleet key, signed-only for 127.0.0.1; real UDP on loopback.</summary>
public sealed class AuthenticatedSenderTests
{
    private static readonly byte[] Key = Encoding.ASCII.GetBytes("the fleet's key, thirty-two byte");

    private static Task<TestCollector> Start() =>
        TestCollector.StartAsync(o => o with { FleetKey = Key, RequireSigned = ["127.0.0.1/32"], DumpTimeout = TimeSpan.FromMilliseconds(200) });

    private static List<ReadOnlyMemory<byte>> Dump(ushort dumpId, byte[]? key, uint bootId = 7) =>
        [.. DumpSlicer.Slice(Senders.Header(dumpId: dumpId, bootId: bootId), [], Encoding.UTF8.GetBytes(KernelLogs.WithWarn(20, seed: dumpId)), key).Packets];

    private static async Task<bool> Authenticated(TestCollector collector, long id) =>
        (await collector.GetJsonAsync($"/api/crashes/{id}")).GetProperty("authenticated").GetBoolean();

    [Fact]
    public async Task A_signed_dump_is_stored_as_authenticated()
    {
        await using var collector = await Start();

        await Senders.SendAsync(collector.Running.NetoopsEndPoint, Dump(1, Key));

        await TestCollector.Eventually(async () => await collector.Running.Store.CountCrashesAsync() == 1, what: "the signed dump");
        var id = (await collector.GetJsonAsync("/api/crashes")).GetProperty("crash_ids")[0].GetInt64();
        Assert.True(await Authenticated(collector, id));
        Assert.Equal("rack=b12", (await collector.GetJsonAsync($"/api/crashes/{id}")).GetProperty("user_blob").GetString());
    }

    [Fact]
    public async Task Forged_tampered_and_unsigned_packets_from_a_signed_only_network_are_refused_and_counted()
    {
        // On main before this, each of these was stored as a crash of 127.0.0.1.
        await using var collector = await Start();
        var forged = Dump(2, Encoding.ASCII.GetBytes("not the fleet's key, but 32 long"));
        var flipped = Dump(3, Key).Select(p => { var b = p.ToArray(); b[PacketLayout.X86_64DataOffset] ^= 0x20; return (ReadOnlyMemory<byte>)b; }).ToList();

        await Senders.SendAsync(collector.Running.NetoopsEndPoint, forged.Concat(flipped).Concat(Dump(4, key: null)));
        await Senders.SendAsync(collector.Running.NetoopsEndPoint, Dump(5, Key));

        await TestCollector.Eventually(async () => await collector.Running.Store.CountCrashesAsync() == 1, what: "the one good dump");
        var invalid = collector.Running.Metrics.Netoops.Invalid;
        Assert.Equal(forged.Count + flipped.Count, invalid["bad_signature"].Value);
        Assert.Equal(Dump(4, null).Count, invalid["unsigned"].Value);
        var id = (await collector.GetJsonAsync("/api/crashes")).GetProperty("crash_ids")[0].GetInt64();
        Assert.Equal(5, (await collector.GetJsonAsync($"/api/crashes/{id}")).GetProperty("dump_id").GetInt64());
    }

    [Fact]
    public async Task A_signed_dump_replayed_after_the_collector_forgot_its_key_is_refused()
    {
        await using var collector = await Start();
        var dump = Dump(6, Key);
        await Senders.SendAsync(collector.Running.NetoopsEndPoint, dump);
        await TestCollector.Eventually(async () => await collector.Running.Store.CountCrashesAsync() == 1, what: "the signed dump");
        // Past twice the dump timeout the shard's recent keys no longer hold it: only the replay window does.
        await Task.Delay(TimeSpan.FromMilliseconds(800));

        await Senders.SendAsync(collector.Running.NetoopsEndPoint, dump);
        await Senders.SendAsync(collector.Running.NetoopsEndPoint, Dump(7, Key));

        await TestCollector.Eventually(async () => await collector.Running.Store.CountCrashesAsync() == 2, what: "the next dump");
        Assert.Equal(dump.Count, collector.Running.Metrics.DumpPacketsReplayed.Value);
    }

    [Fact]
    public async Task A_stock_kernels_unsigned_dump_from_a_network_not_signed_only_is_stored_unauthenticated()
    {
        await using var collector = await Start();
        using var stock = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));

        await Senders.SendAsync(collector.Running.NetoopsEndPoint, Dump(8, key: null), stock);

        await TestCollector.Eventually(async () => await collector.Running.Store.CountCrashesAsync() == 1, what: "the unsigned dump");
        var id = (await collector.GetJsonAsync("/api/crashes")).GetProperty("crash_ids")[0].GetInt64();
        Assert.False(await Authenticated(collector, id));
    }
}
