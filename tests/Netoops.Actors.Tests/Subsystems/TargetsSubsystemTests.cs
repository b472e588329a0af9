using System.Net;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Netoops.Actors.Ports;
using Netoops.Actors.Subsystems;
using Netoops.Actors.Targets;
using Netoops.Actors.Tests.Doubles;

namespace Netoops.Actors.Tests.Subsystems;

public class TargetsSubsystemTests : ActorTest
{
    private readonly FakeNetpoll _netpoll = new();

    private IActorRef Netconsole(IReadOnlyList<TargetAttributes>? boot = null) =>
        Sys.ActorOf(TargetsSubsystem.Props(SubsystemOptions.Netconsole(_netpoll, boot)));

    private IActorRef Netoops() => Sys.ActorOf(TargetsSubsystem.Props(SubsystemOptions.Netoops(_netpoll)));

    private T Ask<T>(IActorRef actor, object message)
    {
        actor.Tell(message, TestActor);
        return ExpectMsg<T>();
    }

    private IActorRef WithEnabled(IActorRef subsystem, string name, string dev)
    {
        Ask<TargetMade>(subsystem, new MakeTarget(name));
        Ask<Accepted>(subsystem, new WriteAttribute(name, "dev_name", dev));
        Ask<Accepted>(subsystem, new WriteAttribute(name, "enabled", "1"));
        return subsystem;
    }

    private TargetState StateOf(IActorRef subsystem, string name) =>
        Ask<TargetStatus>(subsystem, new GetTargetStatus(name)).State;

    [Fact]
    public void A_made_target_is_disabled_with_the_netconsole_default_ports()
    {
        var s = Netconsole();
        Ask<TargetMade>(s, new MakeTarget("a"));
        Assert.Equal("6665\n", Ask<AttributeValue>(s, new ReadAttribute("a", "local_port")).Text);
        Assert.Equal("6666\n", Ask<AttributeValue>(s, new ReadAttribute("a", "remote_port")).Text);
        Assert.Equal("0\n", Ask<AttributeValue>(s, new ReadAttribute("a", "enabled")).Text);
    }

    [Fact]
    public void A_netoops_target_defaults_to_port_2004_both_ways()
    {
        var s = Netoops();
        Ask<TargetMade>(s, new MakeTarget("a"));
        Assert.Equal("2004\n", Ask<AttributeValue>(s, new ReadAttribute("a", "local_port")).Text);
        Assert.Equal("2004\n", Ask<AttributeValue>(s, new ReadAttribute("a", "remote_port")).Text);
    }

    [Fact]
    public void Making_an_existing_target_is_invalid()
    {
        var s = Netconsole();
        Ask<TargetMade>(s, new MakeTarget("a"));
        Assert.Contains("already exists", Ask<Invalid>(s, new MakeTarget("a")).Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("has space")]
    [InlineData("\u0001")]
    public void Unsafe_target_names_are_invalid(string name) => Ask<Invalid>(Netconsole(), new MakeTarget(name));

    [Fact]
    public void Requests_for_an_unknown_target_are_invalid()
    {
        var s = Netconsole();
        Assert.Contains("no target x", Ask<Invalid>(s, new ReadAttribute("x", "enabled")).Reason);
        Ask<Invalid>(s, new WriteAttribute("x", "enabled", "1"));
        Ask<Invalid>(s, new DropTarget("x"));
    }

    [Fact]
    public void Listing_shows_targets_sorted_with_their_states()
    {
        var s = Netconsole();
        Ask<TargetMade>(s, new MakeTarget("b"));
        WithEnabled(s, "a", "eth0");
        AwaitAssert(() => Assert.Equal(
            [new TargetSummary("a", TargetState.Enabled), new TargetSummary("b", TargetState.Disabled)],
            Ask<TargetList>(s, new ListTargets()).Targets));
    }

    [Fact]
    public void Boot_targets_are_named_cmdline_n_and_enabled_at_start()
    {
        var boot = TargetAttributes.Defaults(6665, 6666) with { DevName = "eth1", RemoteIp = IPAddress.Parse("10.0.0.9") };
        var s = Netconsole([boot, boot with { RemotePort = 7000 }]);
        AwaitAssert(() => Assert.Equal(
            [new TargetSummary("cmdline0", TargetState.Enabled), new TargetSummary("cmdline1", TargetState.Enabled)],
            Ask<TargetList>(s, new ListTargets()).Targets));
        Assert.Equal("7000\n", Ask<AttributeValue>(s, new ReadAttribute("cmdline1", "remote_port")).Text);
    }

    [Fact]
    public void Drop_answers_after_cleanup_and_the_name_can_be_made_again()
    {
        var s = WithEnabled(Netconsole(), "a", "eth0");
        Ask<TargetDropped>(s, new DropTarget("a"));
        Assert.Equal(1, Assert.Single(_netpoll.Channels).Closes);
        Ask<TargetMade>(s, new MakeTarget("a"));
        Assert.Equal("0\n", Ask<AttributeValue>(s, new ReadAttribute("a", "enabled")).Text);
    }

    [Fact]
    public void Two_concurrent_drops_both_get_an_answer()
    {
        var s = WithEnabled(Netconsole(), "a", "eth0");
        var other = CreateTestProbe();
        s.Tell(new DropTarget("a"), TestActor);
        s.Tell(new DropTarget("a"), other);
        ExpectMsg<TargetDropped>();
        other.ExpectMsg<TargetDropped>();
    }

    [Fact]
    public void Link_events_affect_only_targets_bound_to_that_device()
    {
        var s = WithEnabled(WithEnabled(Netconsole(), "on-eth0", "eth0"), "on-eth1", "eth1");
        var device = Ask<TargetStatus>(s, new GetTargetStatus("on-eth0")).Device!;
        s.Tell(new DeviceUnregistered(device.Index, "eth0", device.Mac));
        AwaitAssert(() => Assert.Equal(TargetState.Deactivated, StateOf(s, "on-eth0")));
        Assert.Equal(TargetState.Enabled, StateOf(s, "on-eth1"));
    }

    [Fact]
    public void Fan_out_names_every_target_and_each_reports_to_the_sender()
    {
        var s = WithEnabled(Netoops(), "up", "eth0");
        Ask<TargetMade>(s, new MakeTarget("down"));
        var packets = new ReadOnlyMemory<byte>[] { new byte[] { 1 } };
        var started = Ask<FanOutStarted>(s, new FanOut(new Transmit(packets, 3, TimeSpan.Zero, Tag: 5)));
        Assert.Equal(["down", "up"], started.Targets.Select(t => t.Target));
        var reports = new[] { ExpectMsg<TransmitReport>(), ExpectMsg<TransmitReport>() }.OrderBy(r => r.Target).ToArray();
        Assert.Equal(TransmitOutcome.NotEnabled, reports[0].Outcome);
        Assert.Equal((TransmitOutcome.Sent, 3), (reports[1].Outcome, reports[1].Sent));
    }

    [Fact]
    public void Netoops_settings_read_back_as_written()
    {
        var s = Netoops();
        Ask<Accepted>(s, new WriteSetting("boot_id", "4242\n"));
        Ask<Accepted>(s, new WriteSetting("record_oom", "1\n"));
        Ask<Accepted>(s, new WriteSetting("user_blob", "rack=7\n"));
        Assert.Equal("4242\n", Ask<SettingValue>(s, new ReadSetting("boot_id")).Text);
        Assert.Equal("rack=7\n", Ask<SettingValue>(s, new ReadSetting("user_blob")).Text);
        var settings = Ask<NetoopsSettings>(s, new GetNetoopsSettings());
        Assert.Equal((4242u, true), (settings.BootId, settings.RecordOom));
    }

    [Theory]
    [InlineData("boot_id", "-1")]
    [InlineData("boot_id", "4294967296")]
    [InlineData("record_oom", "maybe")]
    [InlineData("nope", "1")]
    public void Bad_netoops_setting_writes_are_invalid(string setting, string text) =>
        Ask<Invalid>(Netoops(), new WriteSetting(setting, text));

    [Fact]
    public void A_user_blob_over_128_bytes_is_invalid_and_the_old_one_stays()
    {
        var s = Netoops();
        Ask<Accepted>(s, new WriteSetting("user_blob", new string('a', 128)));
        Assert.Contains("at most 128 bytes", Ask<Invalid>(s, new WriteSetting("user_blob", new string('b', 129))).Reason);
        Assert.Equal(new string('a', 128), Ask<SettingValue>(s, new ReadSetting("user_blob")).Text);
    }

    [Fact]
    public void Netconsole_has_no_netoops_settings() =>
        Ask<Invalid>(Netconsole(), new WriteSetting("boot_id", "1"));
}
