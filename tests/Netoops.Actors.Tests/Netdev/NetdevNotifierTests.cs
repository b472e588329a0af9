using System.Net.NetworkInformation;
using Akka.TestKit.Xunit2;
using Netoops.Actors.Netdev;
using Netoops.Actors.Ports;
using Netoops.Actors.Tests.Doubles;

namespace Netoops.Actors.Tests.Netdev;

public class NetdevNotifierTests : ActorTest
{
    private static readonly PhysicalAddress Mac = PhysicalAddress.Parse("02-00-00-00-00-01");

    [Fact]
    public void Events_from_the_source_reach_every_subscriber_in_order()
    {
        var source = new ManualLinkEvents();
        var a = CreateTestProbe();
        var b = CreateTestProbe();
        var notifier = Sys.ActorOf(NetdevNotifier.Props(source, [a]));
        notifier.Tell(new SubscribeToLinkEvents(b), TestActor);
        ExpectMsg<SubscribedToLinkEvents>();
        source.Push(new DeviceRegistered(3, "eth0", Mac));
        source.Push(new DeviceRenamed(3, "eth0", "wan0", Mac));
        foreach (var probe in new[] { a, b })
        {
            probe.ExpectMsg<DeviceRegistered>();
            probe.ExpectMsg<DeviceRenamed>(r => r.OldName == "eth0" && r.Name == "wan0");
        }
    }

    [Fact]
    public void A_failed_listener_is_reported_and_restarted()
    {
        var source = new ManualLinkEvents();
        var failures = CreateTestProbe();
        Sys.EventStream.Subscribe(failures, typeof(LinkListenerFailed));
        var sub = CreateTestProbe();
        Sys.ActorOf(NetdevNotifier.Props(source, [sub]));
        AwaitCondition(() => source.Starts == 1);
        source.Fail("socket closed");
        failures.ExpectMsg<LinkListenerFailed>(f => f.Error == "socket closed");
        AwaitCondition(() => source.Starts == 2, TimeSpan.FromSeconds(5));
        source.Push(new DeviceUnregistered(3, "eth0", Mac));
        sub.ExpectMsg<DeviceUnregistered>();
    }
}
