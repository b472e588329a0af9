using System.Net;
using System.Net.Sockets;
using Netoops.Collector.Ingest;

namespace Netoops.Collector.Tests.Ingest;

public sealed class SourceAddressTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void The_sender_of_a_received_datagram_is_read_back_with_its_address_and_port(string address)
    {
        var ip = IPAddress.Parse(address);
        using var receiver = new Socket(ip.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(ip, 0));
        using var sender = new Socket(ip.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        sender.Bind(new IPEndPoint(ip, 0));
        sender.SendTo([1, 2, 3], receiver.LocalEndPoint!);

        var from = new SocketAddress(ip.AddressFamily);
        var length = receiver.ReceiveFrom(new byte[16], SocketFlags.None, from);
        var source = SourceAddress.From(from);

        Assert.Equal(3, length);
        Assert.Equal(sender.LocalEndPoint, new IPEndPoint(source.ToIPAddress(), source.Port));
        Assert.Equal(address, source.HostText());
    }

    [Fact]
    public void An_allowlist_admits_only_its_networks()
    {
        var allow = new SourceAllowlist(["10.0.0.0/8", "192.168.1.7", "2001:db8::/32"]);
        bool Allows(string a) => allow.Allows(SourceAddress.From(new IPEndPoint(IPAddress.Parse(a), 1)));

        Assert.True(Allows("10.200.3.4"));
        Assert.True(Allows("192.168.1.7"));
        Assert.False(Allows("192.168.1.8"));
        Assert.False(Allows("11.0.0.1"));
        Assert.True(Allows("2001:db8::5"));
        Assert.False(Allows("2001:db9::5"));
        Assert.True(SourceAllowlist.Everyone.Allows(SourceAddress.From(new IPEndPoint(IPAddress.Parse("8.8.8.8"), 1))));
    }

    [Fact]
    public void A_bad_cidr_is_refused_with_its_text() =>
        Assert.Contains("10.0.0.0/33", Assert.Throws<FormatException>(() => new SourceAllowlist(["10.0.0.0/33"])).Message);

    [Fact]
    public void The_rate_limiter_grants_a_burst_then_refills_at_the_rate_per_address()
    {
        long now = 0;
        var limiter = new SourceRateLimiter(ratePerSecond: 10, burst: 5, () => now);
        var a = SourceAddress.FromV4(0x0a000001, 1);
        var aOtherPort = SourceAddress.FromV4(0x0a000001, 2);
        var b = SourceAddress.FromV4(0x0a000002, 1);

        Assert.Equal(5, Enumerable.Range(0, 10).Count(_ => limiter.TryTake(a)));
        Assert.False(limiter.TryTake(aOtherPort));
        Assert.True(limiter.TryTake(b));
        now += System.Diagnostics.Stopwatch.Frequency / 5; // 0.2 s → 2 tokens
        Assert.Equal(2, Enumerable.Range(0, 10).Count(_ => limiter.TryTake(a)));
    }
}
