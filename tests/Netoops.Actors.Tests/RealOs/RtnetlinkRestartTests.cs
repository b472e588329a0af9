using System.Collections.Concurrent;
using Netoops.Actors.Linux;
using Netoops.Actors.Ports;
using Xunit.Abstractions;

namespace Netoops.Actors.Tests.RealOs;

/// <summary>
/// The real rtnetlink source across a listener restart (what the notifier does after ENOBUFS):
/// what happened to a link while nobody listened must still reach the targets.
/// </summary>
public sealed class RtnetlinkRestartTests : IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);
    private readonly string? _unavailable = VethRig.Unavailable();
    private readonly VethRig? _rig;
    private readonly RtnetlinkLinkEvents _source = new();
    private readonly BlockingCollection<LinkEvent> _events = [];

    public RtnetlinkRestartTests(ITestOutputHelper output)
    {
        if (_unavailable is null) _rig = VethRig.Create();
        else output.WriteLine($"real-OS link tests skipped: {_unavailable}");
    }

    private IDisposable Listen() => _source.Start(_events.Add, e => _events.Add(new DeviceUnregistered(-1, "listener failed: " + e.Message, System.Net.NetworkInformation.PhysicalAddress.None)));

    private T Next<T>(Func<T, bool> wanted) where T : LinkEvent
    {
        var deadline = DateTime.UtcNow + Settle;
        while (_events.TryTake(out var e, deadline - DateTime.UtcNow > TimeSpan.Zero ? deadline - DateTime.UtcNow : TimeSpan.Zero))
            if (e is T t && wanted(t)) return t;
        throw new Xunit.Sdk.XunitException($"no {typeof(T).Name} as wanted within {Settle}");
    }

    [SkippableFact]
    public void The_first_dump_says_a_link_is_down_when_it_went_down_before_anyone_listened()
    {
        Skip.If(_unavailable is not null, _unavailable);
        _rig!.Ip($"link set {_rig.Near} down");
        using var listening = Listen();
        Assert.False(Next<LinkStateChanged>(e => e.Name == _rig.Near).Up);
    }

    [SkippableFact]
    public void A_restarted_listener_reports_what_happened_to_a_link_while_nobody_listened()
    {
        Skip.If(_unavailable is not null, _unavailable);
        var rig = _rig!;
        var first = Listen();
        Assert.True(Next<LinkStateChanged>(e => e.Name == rig.Near).Up);
        first.Dispose();

        var renamed = rig.Near + "r";
        rig.Ip($"link set {rig.Near} down");
        rig.Ip($"link set {rig.Near} name {renamed}");
        using var second = Listen();
        Assert.Equal(rig.Near, Next<DeviceRenamed>(e => e.Name == renamed).OldName);
        Assert.False(Next<LinkStateChanged>(e => e.Name == renamed).Up);

        second.Dispose();
        rig.Ip($"link del {renamed}");
        using var third = Listen();
        Next<DeviceUnregistered>(e => e.Name == renamed);
    }

    public void Dispose()
    {
        _rig?.Dispose();
        _events.Dispose();
    }
}
