using System.Text;
using Akka.Actor;
using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;
using Netoops.Collector.Netconsole;

namespace Netoops.Collector.Tests.Netconsole;

/// <summary>A new sender always gets a session: the least recently active one makes room.</summary>
public sealed class NetconsoleSinkTests
{
    private readonly CollectorMetrics _metrics = new();
    private readonly NetconsoleSink _sink;
    private ulong _sequence;

    public NetconsoleSinkTests() =>
        _sink = new NetconsoleSink(new NetconsoleSession.Settings(ContextLines: 3, MaxReportLines: 50, ReportQuiet: TimeSpan.FromSeconds(2)),
            maxSessions: 3, sessionIdle: TimeSpan.FromMinutes(10), _metrics, new NetconsoleTails(10, 10), ActorRefs.Nobody);

    private string? Send(uint host)
    {
        var refusal = _sink.OnDatagram(Encoding.ASCII.GetBytes($"6,{_sequence++},1,-;line"), SourceAddress.FromV4(0x7f000000 + host, 6665));
        _sink.OnBatchEnd();
        Thread.Sleep(2); // each batch its own clock reading: the order of activity is what is tested
        return refusal;
    }

    [Fact]
    public void A_new_sender_beyond_the_bound_takes_the_place_of_the_least_recently_active()
    {
        Assert.Null(Send(1));
        Assert.Null(Send(2));
        Assert.Null(Send(3));
        Assert.Null(Send(1)); // 1 and 3 are heard from again, 2 is not
        Assert.Null(Send(3));

        Assert.Null(Send(4));
        Assert.Equal(3, _sink.Sessions);
        Assert.Equal(1, _metrics.NetconsoleSessionsEvicted.Value);

        // 2 went: its next line starts a new session, and 1 (quiet longest now) makes room.
        Assert.Null(Send(2));
        Assert.Equal(2, _metrics.NetconsoleSessionsEvicted.Value);
        Assert.Equal(3, _sink.Sessions);
    }

    [Fact]
    public void A_flood_of_new_sources_never_refuses_a_new_host()
    {
        for (uint host = 10; host < 2_000; host++)
            Assert.Null(_sink.OnDatagram(Encoding.ASCII.GetBytes($"6,{_sequence++},1,-;spoofed"), SourceAddress.FromV4(0x0a000000 + host, 6665)));
        Assert.Null(Send(1));
        Assert.Equal(3, _sink.Sessions);
        Assert.Equal(2_000 - 10 + 1 - 3, _metrics.NetconsoleSessionsEvicted.Value);
    }
}
