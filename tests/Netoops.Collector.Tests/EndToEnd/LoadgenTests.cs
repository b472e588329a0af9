using Netoops.Collector.Loadgen;
using Netoops.Collector.Tests.Support;

namespace Netoops.Collector.Tests.EndToEnd;

public sealed class LoadgenTests
{
    [Fact]
    public async Task Every_dump_a_lossy_fleet_sends_is_stored_complete_or_partial_from_its_own_address()
    {
        await using var collector = await TestCollector.StartAsync();
        var fleet = new FleetSimulator(new FleetSettings
        {
            Hosts = 8, Duration = TimeSpan.FromSeconds(1), DumpsPerSecond = 40, MessagesPerSecond = 2000, BootLines = 40,
            Loss = 0.3, Duplicate = 0.1, Reorder = 0.1, Seed = 5, CrashEveryMessages = 500,
        }, collector.Running.NetoopsEndPoint, collector.Running.NetconsoleEndPoint);

        var report = await fleet.RunAsync(CancellationToken.None);

        var metrics = collector.Running.Metrics;
        await TestCollector.Eventually(() => Task.FromResult(metrics.DumpsComplete.Value + metrics.DumpsPartial.Value == report.Dumps), what: "every dump finished");
        await collector.Running.FlushAsync(TimeSpan.FromSeconds(10));
        Assert.True(report.Dumps >= 30);
        Assert.True(metrics.DumpsPartial.Value > 0, "30% loss over 3 rounds leaves some dumps partial");
        Assert.True(metrics.NetconsoleCrashes.Value > 0, "some netconsole reports survive the loss");
        var hosts = (await collector.GetJsonAsync("/api/hosts")).GetProperty("hosts").EnumerateArray().Select(h => h.GetProperty("address").GetString()!).ToHashSet();
        Assert.Equal(Enumerable.Range(0, 8).Select(i => FleetSimulator.HostAddress(i).ToString()).ToHashSet(), hosts);
        Assert.Equal(report.Dumps + metrics.NetconsoleCrashes.Value, await collector.Running.Store.CountCrashesAsync());
    }
}
