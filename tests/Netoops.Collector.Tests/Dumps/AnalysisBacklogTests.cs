using Netoops.Collector.Dumps;
using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;

namespace Netoops.Collector.Tests.Dumps;

public sealed class AnalysisBacklogTests
{
    private static SourceAddress V4(string address) => SourceAddress.From(new System.Net.IPEndPoint(System.Net.IPAddress.Parse(address), 2004));

    [Fact]
    public void When_a_flood_has_filled_the_backlog_a_quiet_network_still_gets_its_dump_in_and_the_flood_does_not()
    {
        // On main before this, the backlog was one number: the flood filling it dropped every other host's dump.
        var metrics = new CollectorMetrics();
        var backlog = new AnalysisBacklog(1000, metrics);
        var flood = Enumerable.Range(1, 20).Count(i => backlog.TryAdmit(V4($"10.1.1.{i}"), 100));

        Assert.Equal(10, flood);
        Assert.False(backlog.TryAdmit(V4("10.1.1.200"), 100));
        Assert.True(backlog.TryAdmit(V4("10.9.9.9"), 100));
        Assert.False(backlog.TryAdmit(V4("10.9.9.10"), 100)); // its /24 now has a dump waiting
        Assert.Equal(1100, metrics.AnalysisBacklogBytes.Value);
    }

    [Fact]
    public void The_reserve_is_bounded_and_what_is_released_is_room_again()
    {
        var backlog = new AnalysisBacklog(1000, new CollectorMetrics());
        Assert.True(backlog.TryAdmit(V4("10.1.1.1"), 1000));
        var quiet = Enumerable.Range(1, 10).Count(i => backlog.TryAdmit(V4($"10.2.{i}.1"), 100));

        Assert.Equal(2, quiet);
        backlog.Release(V4("10.1.1.1"), 1000);
        Assert.Equal(200, backlog.Bytes);
        Assert.True(backlog.TryAdmit(V4("10.1.1.1"), 700));
    }

    [Fact]
    public void An_ipv6_network_is_its_slash_64()
    {
        Assert.Equal(AnalysisBacklog.PrefixOf(V4("2001:db8:0:1::5")), AnalysisBacklog.PrefixOf(V4("2001:db8:0:1:ffff::1")));
        Assert.NotEqual(AnalysisBacklog.PrefixOf(V4("2001:db8:0:1::5")), AnalysisBacklog.PrefixOf(V4("2001:db8:0:2::5")));
        Assert.Equal(AnalysisBacklog.PrefixOf(V4("10.0.0.1")), AnalysisBacklog.PrefixOf(V4("10.0.0.254")));
    }
}
