using System.Net;
using System.Net.Sockets;
using Netoops.Actors.Linux;
using Netoops.Actors.Ports;

namespace Netoops.Actors.Tests.Linux;

/// <summary>
/// Setup against a fake /sys/class/net tree (for the refusals and the carrier wait) and the real
/// loopback device (for the socket): the checks the kernel's netpoll_setup makes, in its words.
/// </summary>
public sealed class LinuxNetpollTests : IDisposable
{
    private readonly DirectoryInfo _sys = Directory.CreateTempSubdirectory("netoops-sys-");

    private void Device(string name, int index, string mac, bool up = true, bool carrier = true, bool bondSlave = false)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_sys.FullName, name));
        File.WriteAllText(Path.Combine(dir.FullName, "ifindex"), $"{index}\n");
        File.WriteAllText(Path.Combine(dir.FullName, "address"), mac + "\n");
        File.WriteAllText(Path.Combine(dir.FullName, "flags"), up ? "0x1003\n" : "0x1002\n");
        File.WriteAllText(Path.Combine(dir.FullName, "carrier"), carrier ? "1\n" : "0\n");
        if (bondSlave) Directory.CreateDirectory(Path.Combine(dir.FullName, "bonding_slave"));
    }

    private static SetupRequest Request(string dev, IPAddress? local = null, int timeoutMs = 4000) =>
        new("t", dev, local, 0, IPAddress.Loopback, 9, TimeSpan.FromMilliseconds(timeoutMs));

    [Fact]
    public async Task A_missing_device_is_refused_with_the_kernels_words()
    {
        var result = await new LinuxNetpoll(new SysClassNet(_sys.FullName)).SetupAsync(Request("eth9"), CancellationToken.None);
        Assert.Equal("eth9 doesn't exist, aborting", Assert.IsType<SetupFailed>(result).Error);
    }

    [Fact]
    public async Task A_bond_slave_is_refused_as_busy()
    {
        Device("eth1", 5, "02:00:00:00:00:05", bondSlave: true);
        var failed = Assert.IsType<SetupFailed>(await new LinuxNetpoll(new SysClassNet(_sys.FullName)).SetupAsync(Request("eth1"), CancellationToken.None));
        Assert.True(failed.Busy);
        Assert.Equal("eth1 is a slave device, aborting", failed.Error);
    }

    [Fact]
    public async Task Mixed_address_families_are_refused()
    {
        Device("lo", 1, "00:00:00:00:00:00");
        var result = await new LinuxNetpoll(new SysClassNet(_sys.FullName)).SetupAsync(Request("lo", IPAddress.IPv6Loopback), CancellationToken.None);
        Assert.Equal("local_ip and remote_ip must both be IPv4 or both IPv6", Assert.IsType<SetupFailed>(result).Error);
    }

    [Fact]
    public void A_device_is_found_by_mac_as_well_as_by_name()
    {
        Device("eth0", 2, "02:00:00:00:00:02");
        Device("eth1", 3, "02:00:00:00:00:03");
        var sys = new SysClassNet(_sys.FullName);
        Assert.Equal("eth1", sys.Find("02:00:00:00:00:03")!.Name);
        Assert.Equal(2, sys.Find("eth0")!.Index);
        Assert.Null(sys.Find("../eth0"));
    }

    [Fact]
    public async Task Loopback_setup_defaults_local_ip_and_opens_a_socket_that_really_sends()
    {
        using var sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        sink.ReceiveTimeout = 5000;
        var request = Request("lo") with { RemotePort = ((IPEndPoint)sink.LocalEndPoint!).Port };
        var ok = Assert.IsType<SetupSucceeded>(await new LinuxNetpoll().SetupAsync(request, CancellationToken.None));
        Assert.Equal(IPAddress.Loopback, ok.LocalIp);
        Assert.Equal("lo", ok.Device.Name);
        Assert.True(ok.Channel.Send("ping"u8).Ok);
        var buffer = new byte[16];
        Assert.Equal("ping", System.Text.Encoding.ASCII.GetString(buffer, 0, sink.Receive(buffer)));
        await ok.Channel.CloseAsync();
        Assert.False(ok.Channel.Send("late"u8).Ok);
    }

    [Fact]
    public async Task Without_carrier_setup_waits_the_timeout_then_goes_on_anyway()
    {
        Device("lo", 1, "00:00:00:00:00:00", carrier: false);
        var clock = new ManualClock();
        var setup = new LinuxNetpoll(new SysClassNet(_sys.FullName), clock).SetupAsync(Request("lo", timeoutMs: 4000), CancellationToken.None);
        await Task.Delay(50);
        Assert.False(setup.IsCompleted);
        for (var i = 0; i < 100 && !setup.IsCompleted; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(5);
        }
        var ok = Assert.IsType<SetupSucceeded>(await setup);
        Assert.False(ok.CarrierUp);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(4));
        await ok.Channel.CloseAsync();
    }

    [Fact]
    public async Task Cancelling_the_carrier_wait_ends_setup_promptly()
    {
        Device("lo", 1, "00:00:00:00:00:00", carrier: false);
        using var cancel = new CancellationTokenSource();
        var setup = new LinuxNetpoll(new SysClassNet(_sys.FullName), new ManualClock()).SetupAsync(Request("lo"), cancel.Token);
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => setup);
    }

    public void Dispose() => _sys.Delete(recursive: true);

    /// <summary>A TimeProvider that moves only when told; its timers fire as it passes their due time.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private readonly object _gate = new();
        private readonly List<(long Due, TimerCallback Callback, object? State)> _timers = [];
        private long _ticks;

        public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_gate) _timers.Add((GetTimestamp() + dueTime.Ticks, callback, state));
            return new NoopTimer();
        }

        public void Advance(TimeSpan by)
        {
            var now = Interlocked.Add(ref _ticks, by.Ticks);
            List<(long Due, TimerCallback Callback, object? State)> due;
            lock (_gate)
            {
                due = _timers.Where(t => t.Due <= now).ToList();
                _timers.RemoveAll(t => t.Due <= now);
            }
            foreach (var t in due) t.Callback(t.State);
        }

        private sealed class NoopTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;
            public void Dispose() { }
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
