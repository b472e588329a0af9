using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Netoops.Actors.Linux;
using Netoops.Actors.Netdev;
using Netoops.Actors.Subsystems;
using Netoops.Actors.Targets;
using Xunit.Abstractions;

namespace Netoops.Actors.Tests.RealOs;

/// <summary>
/// Real sockets, real rtnetlink, real veth pair in a real network namespace: the lifecycle driven
/// by the kernel's own link events. Runs as root (CI does); skips, saying why, where it cannot.
/// </summary>
public sealed class RealLinkTests : ActorTest, IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);
    private readonly VethRig? _rig;
    private readonly string? _unavailable = VethRig.Unavailable();
    private readonly int _port = Random.Shared.Next(20000, 30000);

    public RealLinkTests(ITestOutputHelper output) : base(output)
    {
        if (_unavailable is null) _rig = VethRig.Create();
        else output.WriteLine($"real-OS link tests skipped: {_unavailable}");
    }

    private VethRig Rig
    {
        get
        {
            Skip.If(_unavailable is not null, _unavailable);
            return _rig!;
        }
    }

    private IActorRef StartNetoops()
    {
        var subsystem = Sys.ActorOf(TargetsSubsystem.Props(SubsystemOptions.Netoops(new LinuxNetpoll())), "netoops");
        Sys.ActorOf(NetdevNotifier.Props(new RtnetlinkLinkEvents(), [subsystem]), "netdev-notifier");
        return subsystem;
    }

    private T Ask<T>(IActorRef actor, object message)
    {
        actor.Tell(message, TestActor);
        return ExpectMsg<T>(Settle);
    }

    private IActorRef EnabledTargetOnNearEnd()
    {
        var s = StartNetoops();
        Ask<TargetMade>(s, new MakeTarget("veth"));
        Ask<Accepted>(s, new WriteAttribute("veth", "dev_name", Rig.Near));
        Ask<Accepted>(s, new WriteAttribute("veth", "remote_ip", Rig.FarIp + "\n"));
        Ask<Accepted>(s, new WriteAttribute("veth", "remote_port", _port.ToString()));
        Ask<Accepted>(s, new WriteAttribute("veth", "local_port", (_port + 1).ToString()));
        Ask<Accepted>(s, new WriteAttribute("veth", "enabled", "1"));
        return s;
    }

    private static Transmit Payloads(params string[] texts) =>
        new(texts.Select(t => (ReadOnlyMemory<byte>)System.Text.Encoding.ASCII.GetBytes(t)).ToArray(), 1, TimeSpan.Zero);

    private static string Receive(Socket socket)
    {
        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        var n = socket.ReceiveFrom(buffer, ref from);
        return System.Text.Encoding.ASCII.GetString(buffer, 0, n);
    }

    private void AwaitState(IActorRef s, TargetState state) =>
        AwaitAssert(() => Assert.Equal(state, Ask<TargetStatus>(s, new GetTargetStatus("veth")).State), Settle);

    private TransmitReport Send(IActorRef s, params string[] texts) =>
        Ask<TransmitReport>(s, new TransmitOn("veth", Payloads(texts)));

    [SkippableFact]
    public void A_target_bound_to_a_veth_sends_real_udp_received_at_the_peer()
    {
        var rig = Rig;
        using var listener = rig.ListenInNamespace(_port);
        var s = EnabledTargetOnNearEnd();
        Assert.Equal(rig.NearIp + "\n", Ask<AttributeValue>(s, new ReadAttribute("veth", "local_ip")).Text);
        Assert.Equal((TransmitOutcome.Sent, 2), (Send(s, "one", "two") is var r ? (r.Outcome, r.Sent) : default));
        Assert.Equal("one", Receive(listener));
        Assert.Equal("two", Receive(listener));
    }

    [SkippableFact]
    public void Deleting_the_link_deactivates_the_target_and_recreating_it_resumes_sending()
    {
        var rig = Rig;
        using var listener = rig.ListenInNamespace(_port);
        var s = EnabledTargetOnNearEnd();
        rig.DeleteLink();
        AwaitState(s, TargetState.Deactivated);
        Assert.Equal(TransmitOutcome.NotEnabled, Send(s, "lost").Outcome);

        rig.CreateLink();
        AwaitState(s, TargetState.Enabled);
        // The address may land a moment after the device registers; until then sends fail and are counted.
        AwaitAssert(() => Assert.Equal(0, Send(s, "back").Failed), Settle);
        Assert.Equal("back", Receive(listener));
    }

    [SkippableFact]
    public void Renaming_the_link_renames_dev_name_and_a_down_link_sends_nothing_until_up()
    {
        var rig = Rig;
        using var listener = rig.ListenInNamespace(_port);
        var s = EnabledTargetOnNearEnd();
        rig.Ip($"link set {rig.Near} down");
        AwaitAssert(() => Assert.Equal(TransmitOutcome.LinkDown, Send(s, "dropped").Outcome), Settle);

        var renamed = rig.Near + "r";
        rig.Ip($"link set {rig.Near} name {renamed}");
        AwaitAssert(() => Assert.Equal(renamed + "\n", Ask<AttributeValue>(s, new ReadAttribute("veth", "dev_name")).Text), Settle);
        Assert.Equal(TargetState.Enabled, Ask<TargetStatus>(s, new GetTargetStatus("veth")).State);

        rig.Ip($"link set {renamed} up");
        AwaitAssert(() => Assert.Equal((TransmitOutcome.Sent, 0), Send(s, "after") is var r ? (r.Outcome, r.Failed) : default), Settle);
        Assert.Equal("after", Receive(listener));
        rig.Ip($"link set {renamed} name {rig.Near}"); // so Dispose finds it
    }

    public new void Dispose()
    {
        Shutdown();
        _rig?.Dispose();
    }
}
