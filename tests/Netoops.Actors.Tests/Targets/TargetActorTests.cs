using System.Net.NetworkInformation;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Netoops.Actors.Ports;
using Netoops.Actors.Targets;
using Netoops.Actors.Tests.Doubles;

namespace Netoops.Actors.Tests.Targets;

public class TargetActorTests : ActorTest
{
    private static readonly PhysicalAddress SomeMac = PhysicalAddress.Parse("02-00-00-00-00-99");
    private readonly FakeNetpoll _netpoll;

    public TargetActorTests() : this(new FakeNetpoll()) { }

    private TargetActorTests(FakeNetpoll netpoll) => _netpoll = netpoll;

    private IActorRef Target(FakeNetpoll? netpoll = null) =>
        Sys.ActorOf(TargetActor.Props("t1", TargetOptions.For("netoops", netpoll ?? _netpoll, 2004, 2004)));

    private T Ask<T>(IActorRef target, object message)
    {
        target.Tell(message, TestActor);
        return ExpectMsg<T>();
    }

    private IActorRef EnabledTarget(FakeNetpoll? netpoll = null)
    {
        var t = Target(netpoll);
        Ask<Accepted>(t, new WriteAttribute("t1", "enabled", "1\n"));
        return t;
    }

    private TargetState StateOf(IActorRef t) => Ask<TargetStatus>(t, new GetTargetStatus("t1")).State;

    private void AwaitState(IActorRef t, TargetState state) => AwaitAssert(() => Assert.Equal(state, StateOf(t)));

    private static Transmit Packets(int count, int rounds = 1) =>
        new(Enumerable.Range(0, count).Select(i => (ReadOnlyMemory<byte>)new[] { (byte)i }).ToArray(), rounds, TimeSpan.Zero, Tag: 7);

    [Fact]
    public void Writing_dev_name_while_disabled_is_accepted_and_read_back_with_a_newline()
    {
        var t = Target();
        Ask<Accepted>(t, new WriteAttribute("t1", "dev_name", "veth0\n"));
        Assert.Equal("veth0\n", Ask<AttributeValue>(t, new ReadAttribute("t1", "dev_name")).Text);
    }

    [Fact]
    public void Writing_dev_name_while_setting_up_is_refused_with_busy()
    {
        var netpoll = new FakeNetpoll { Manual = true };
        var t = Target(netpoll);
        t.Tell(new WriteAttribute("t1", "enabled", "1"), TestActor);
        AwaitCondition(() => netpoll.PendingCount == 1);
        var busy = Ask<Busy>(t, new WriteAttribute("t1", "dev_name", "eth1"));
        Assert.Equal(TargetState.SettingUp, busy.State);
        Assert.Equal("eth0\n", Ask<AttributeValue>(t, new ReadAttribute("t1", "dev_name")).Text);
    }

    [Fact]
    public void Writing_dev_name_while_enabled_is_refused_with_busy_and_the_kernel_message()
    {
        var t = EnabledTarget();
        var busy = Ask<Busy>(t, new WriteAttribute("t1", "dev_name", "eth1"));
        Assert.Equal("target t1 is enabled, disable to update parameters", busy.Message);
    }

    [Fact]
    public void Enabling_replies_after_setup_and_enabled_then_reads_1()
    {
        var t = EnabledTarget();
        Assert.Equal("1\n", Ask<AttributeValue>(t, new ReadAttribute("t1", "enabled")).Text);
        Assert.Equal("192.0.2.1\n", Ask<AttributeValue>(t, new ReadAttribute("t1", "local_ip")).Text);
    }

    [Fact]
    public void Enabling_an_enabled_target_is_refused_with_busy() =>
        Ask<Busy>(EnabledTarget(), new WriteAttribute("t1", "enabled", "1"));

    [Fact]
    public void Setup_failure_returns_to_disabled_with_the_error()
    {
        var netpoll = new FakeNetpoll { Manual = true };
        var t = Target(netpoll);
        t.Tell(new WriteAttribute("t1", "enabled", "1"), TestActor);
        AwaitCondition(() => netpoll.PendingCount == 1);
        netpoll.FailNext("no IP address for eth0, aborting");
        var invalid = ExpectMsg<Invalid>();
        Assert.Contains("no IP address for eth0", invalid.Reason);
        Assert.Equal(TargetState.Disabled, StateOf(t));
    }

    [Fact]
    public void A_bond_slave_refusal_from_setup_is_busy()
    {
        var netpoll = new FakeNetpoll { Manual = true };
        var t = Target(netpoll);
        t.Tell(new WriteAttribute("t1", "enabled", "1"), TestActor);
        AwaitCondition(() => netpoll.PendingCount == 1);
        netpoll.FailNext("eth0 is a slave device, aborting", busy: true);
        ExpectMsg<Busy>();
    }

    [Fact]
    public void Disabling_closes_the_socket_once_and_replies_after_cleanup()
    {
        var t = EnabledTarget();
        Ask<Accepted>(t, new WriteAttribute("t1", "enabled", "0\n"));
        Assert.Equal(TargetState.Disabled, StateOf(t));
        Assert.Equal(1, Assert.Single(_netpoll.Channels).Closes);
    }

    [Fact]
    public void Disabling_during_cleanup_is_refused_with_busy()
    {
        var t = EnabledTarget();
        var channel = Assert.Single(_netpoll.Channels);
        channel.HoldClose = new TaskCompletionSource();
        t.Tell(new WriteAttribute("t1", "enabled", "0"), TestActor);
        AwaitState(t, TargetState.Cleaning);
        var second = CreateTestProbe();
        t.Tell(new WriteAttribute("t1", "enabled", "0"), second);
        Assert.Equal(TargetState.Cleaning, second.ExpectMsg<Busy>().State);
        channel.HoldClose.SetResult();
        ExpectMsg<Accepted>();
    }

    [Fact]
    public void Unregister_while_enabled_cleans_up_in_the_target_and_deactivates()
    {
        var t = EnabledTarget();
        var status = Ask<TargetStatus>(t, new GetTargetStatus("t1"));
        t.Tell(new DeviceUnregistered(status.Device!.Index, "eth0", status.Device.Mac));
        AwaitState(t, TargetState.Deactivated);
        Assert.Equal(1, Assert.Single(_netpoll.Channels).Closes);
    }

    [Fact]
    public void Unregister_during_setup_never_leaves_the_target_enabled()
    {
        var netpoll = new FakeNetpoll { Manual = true };
        var t = Target(netpoll);
        t.Tell(new WriteAttribute("t1", "enabled", "1"), TestActor);
        AwaitCondition(() => netpoll.PendingCount == 1);
        t.Tell(new DeviceUnregistered(42, "eth0", SomeMac));
        var channel = netpoll.CompleteNext();
        ExpectMsg<Invalid>(m => m.Reason.Contains("went away"));
        Assert.Equal(TargetState.Deactivated, StateOf(t));
        Assert.Equal(1, channel.Closes);
        Assert.Equal(TransmitOutcome.NotEnabled, Ask<TransmitReport>(t, Packets(1)).Outcome);
    }

    [Fact]
    public void A_deactivated_target_resumes_when_its_device_registers_again()
    {
        var t = EnabledTarget();
        var device = Ask<TargetStatus>(t, new GetTargetStatus("t1")).Device!;
        t.Tell(new DeviceUnregistered(device.Index, "eth0", device.Mac));
        AwaitState(t, TargetState.Deactivated);
        t.Tell(new DeviceRegistered(device.Index + 100, "eth0", device.Mac));
        AwaitState(t, TargetState.Enabled);
        Assert.Equal(2, _netpoll.Channels.Count);
    }

    [Fact]
    public void A_device_returning_while_cleanup_runs_resumes_the_target_on_the_new_device()
    {
        var t = EnabledTarget();
        var device = Ask<TargetStatus>(t, new GetTargetStatus("t1")).Device!;
        var first = Assert.Single(_netpoll.Channels);
        first.HoldClose = new TaskCompletionSource();
        t.Tell(new DeviceUnregistered(device.Index, "eth0", device.Mac));
        AwaitAssert(() => Assert.Equal(TargetState.Cleaning, StateOf(t)));
        t.Tell(new DeviceRegistered(device.Index + 1, "eth0", device.Mac));
        first.HoldClose.SetResult();
        AwaitAssert(() => Assert.Equal(TargetState.Enabled, StateOf(t)));
        Assert.NotEqual(device.Index, Ask<TargetStatus>(t, new GetTargetStatus("t1")).Device!.Index);
        Assert.Equal(1, first.Closes);
    }

    [Fact]
    public void A_deactivated_target_ignores_an_unrelated_device()
    {
        var t = EnabledTarget();
        var device = Ask<TargetStatus>(t, new GetTargetStatus("t1")).Device!;
        t.Tell(new DeviceUnregistered(device.Index, "eth0", device.Mac));
        AwaitState(t, TargetState.Deactivated);
        t.Tell(new DeviceRegistered(99, "eth7", SomeMac));
        Assert.Equal(TargetState.Deactivated, StateOf(t));
    }

    [Fact]
    public void Writing_enabled_0_resets_a_deactivated_target_to_disabled()
    {
        var t = EnabledTarget();
        var device = Ask<TargetStatus>(t, new GetTargetStatus("t1")).Device!;
        t.Tell(new DeviceUnregistered(device.Index, "eth0", device.Mac));
        AwaitState(t, TargetState.Deactivated);
        Ask<Accepted>(t, new WriteAttribute("t1", "enabled", "0"));
        Assert.Equal(TargetState.Disabled, StateOf(t));
    }

    [Fact]
    public void Enslaving_the_device_cleans_up_and_disables()
    {
        var t = EnabledTarget();
        var device = Ask<TargetStatus>(t, new GetTargetStatus("t1")).Device!;
        t.Tell(new DeviceEnslaved(device.Index, "eth0", device.Mac, MasterIndex: 3));
        AwaitState(t, TargetState.Disabled);
        Assert.Equal(1, Assert.Single(_netpoll.Channels).Closes);
    }

    [Fact]
    public void A_rename_changes_dev_name_even_while_enabled()
    {
        var t = EnabledTarget();
        var device = Ask<TargetStatus>(t, new GetTargetStatus("t1")).Device!;
        t.Tell(new DeviceRenamed(device.Index, "eth0", "wan0", device.Mac));
        Assert.Equal("wan0\n", Ask<AttributeValue>(t, new ReadAttribute("t1", "dev_name")).Text);
        Assert.Equal(TargetState.Enabled, StateOf(t));
    }

    [Fact]
    public void Drop_during_cleanup_closes_the_socket_exactly_once()
    {
        var t = EnabledTarget();
        var channel = Assert.Single(_netpoll.Channels);
        channel.HoldClose = new TaskCompletionSource();
        t.Tell(new WriteAttribute("t1", "enabled", "0"), TestActor);
        AwaitState(t, TargetState.Cleaning);
        var dropper = CreateTestProbe();
        t.Tell(new DropTarget("t1"), dropper);
        dropper.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // answers only once cleaned up
        channel.HoldClose.SetResult();
        dropper.ExpectMsg<TargetDropped>();
        ExpectMsg<Invalid>(m => m.Reason == "dropped");
        Assert.Equal(1, channel.Closes);
    }

    [Fact]
    public void Drop_during_setup_cancels_it_and_closes_the_late_socket()
    {
        var netpoll = new FakeNetpoll { Manual = true };
        var t = Target(netpoll);
        Watch(t);
        t.Tell(new WriteAttribute("t1", "enabled", "1"), TestActor);
        AwaitCondition(() => netpoll.PendingCount == 1);
        var dropper = CreateTestProbe();
        t.Tell(new DropTarget("t1"), dropper);
        var channel = netpoll.CompleteNext();
        dropper.ExpectMsg<TargetDropped>();
        ExpectMsg<Invalid>();
        ExpectTerminated(t);
        Assert.Equal(1, channel.Closes);
    }

    [Fact]
    public void Dropping_an_enabled_target_closes_its_socket_before_answering()
    {
        var t = EnabledTarget();
        Ask<TargetDropped>(t, new DropTarget("t1"));
        Assert.Equal(1, Assert.Single(_netpoll.Channels).Closes);
    }

    [Fact]
    public void Transmit_sends_every_packet_each_round_in_order()
    {
        var t = EnabledTarget();
        var report = Ask<TransmitReport>(t, Packets(100, rounds: 3));
        Assert.Equal(new TransmitReport("t1", 7, TransmitOutcome.Sent, 300, 0, TargetState.Enabled), report);
        var sent = Assert.Single(_netpoll.Channels).Datagrams.Select(d => (int)d[0]).ToArray();
        Assert.Equal(Enumerable.Range(0, 100).Concat(Enumerable.Range(0, 100)).Concat(Enumerable.Range(0, 100)), sent);
    }

    [Fact]
    public void Transmit_with_spacing_still_sends_everything()
    {
        var t = EnabledTarget();
        var spaced = Packets(3, rounds: 2) with { Spacing = TimeSpan.FromMilliseconds(1) };
        Assert.Equal(6, Ask<TransmitReport>(t, spaced).Sent);
    }

    [Fact]
    public void Transmit_while_disabled_sends_nothing()
    {
        var report = Ask<TransmitReport>(Target(), Packets(5));
        Assert.Equal(TransmitOutcome.NotEnabled, report.Outcome);
        Assert.Empty(_netpoll.Channels);
    }

    [Fact]
    public void Transmit_while_the_link_is_down_sends_nothing_until_it_comes_back()
    {
        var t = EnabledTarget();
        var device = Ask<TargetStatus>(t, new GetTargetStatus("t1")).Device!;
        t.Tell(new LinkStateChanged(device.Index, "eth0", device.Mac, Up: false));
        Assert.Equal(TransmitOutcome.LinkDown, Ask<TransmitReport>(t, Packets(5)).Outcome);
        t.Tell(new LinkStateChanged(device.Index, "eth0", device.Mac, Up: true));
        Assert.Equal(TransmitOutcome.Sent, Ask<TransmitReport>(t, Packets(5)).Outcome);
        Assert.Equal(5, Assert.Single(_netpoll.Channels).Sent);
    }

    [Fact]
    public void Disabling_during_a_transmit_interrupts_it_before_the_socket_closes()
    {
        var t = EnabledTarget();
        var channel = Assert.Single(_netpoll.Channels);
        t.Tell(Packets(1000, rounds: 50), TestActor);
        t.Tell(new WriteAttribute("t1", "enabled", "0"), TestActor);
        var report = ExpectMsg<TransmitReport>();
        Assert.Equal(TransmitOutcome.Interrupted, report.Outcome);
        Assert.True(report.Sent < 50_000);
        ExpectMsg<Accepted>();
        Assert.Equal(report.Sent, channel.Sent);
    }

    [Fact]
    public void Send_errors_are_counted_in_transmit_errors()
    {
        var t = EnabledTarget();
        Assert.Single(_netpoll.Channels).FailSends = true;
        var report = Ask<TransmitReport>(t, Packets(4));
        Assert.Equal(4, report.Failed);
        Assert.Equal("4\n", Ask<AttributeValue>(t, new ReadAttribute("t1", "transmit_errors")).Text);
    }

    [Fact]
    public void A_full_socket_buffer_delays_the_send_instead_of_losing_packets()
    {
        var t = EnabledTarget();
        var channel = Assert.Single(_netpoll.Channels);
        channel.FullFor = 5;
        var report = Ask<TransmitReport>(t, Packets(10));
        Assert.Equal((10, 0), (report.Sent, report.Failed));
        Assert.Equal(Enumerable.Range(0, 10), channel.Datagrams.Select(d => (int)d[0]));
    }

    [Fact]
    public void A_transport_that_throws_is_counted_and_the_target_keeps_working()
    {
        var t = EnabledTarget();
        Assert.Single(_netpoll.Channels).ThrowOnSend = true;
        Assert.Equal(2, Ask<TransmitReport>(t, Packets(2)).Failed);
        Assert.Equal(TargetState.Enabled, StateOf(t));
    }

    [Fact]
    public void A_setup_port_that_throws_leaves_the_target_disabled_with_the_error()
    {
        var t = Target(null);
        var throwing = Sys.ActorOf(TargetActor.Props("t1", TargetOptions.For("netoops", new ThrowingNetpoll(), 2004, 2004)));
        throwing.Tell(new WriteAttribute("t1", "enabled", "1"), TestActor);
        ExpectMsg<Invalid>(m => m.Reason.Contains("boom"));
        Assert.Equal(TargetState.Disabled, StateOf(throwing));
        Assert.Equal(TargetState.Disabled, StateOf(t));
    }

    [Fact]
    public void Userdata_is_writable_while_enabled()
    {
        var t = EnabledTarget();
        Ask<Accepted>(t, new WriteAttribute("t1", "userdata/dc/value", "fra1\n"));
        Assert.Equal("fra1\n", Ask<AttributeValue>(t, new ReadAttribute("t1", "userdata/dc/value")).Text);
    }

    [Theory]
    [InlineData("local_port", "65536")]
    [InlineData("remote_port", "-1")]
    [InlineData("remote_ip", "10.0.0")]
    [InlineData("remote_mac", "zz:00:00:00:00:00")]
    [InlineData("local_mac", "02:00:00:00:00:01")]
    [InlineData("transmit_errors", "0")]
    [InlineData("no_such_thing", "1")]
    [InlineData("enabled", "2")]
    [InlineData("release", "1")]
    public void Bad_writes_are_invalid_and_change_nothing(string attribute, string text)
    {
        var t = Target();
        var before = Ask<TargetStatus>(t, new GetTargetStatus("t1")).Attributes;
        Ask<Invalid>(t, new WriteAttribute("t1", attribute, text));
        Assert.Equal(before, Ask<TargetStatus>(t, new GetTargetStatus("t1")).Attributes);
    }

    [Fact]
    public void Local_mac_reads_broadcast_until_bound_then_the_device_mac()
    {
        var t = Target();
        Assert.Equal("ff:ff:ff:ff:ff:ff\n", Ask<AttributeValue>(t, new ReadAttribute("t1", "local_mac")).Text);
        Ask<Accepted>(t, new WriteAttribute("t1", "enabled", "1"));
        Assert.StartsWith("02:00:00:00:00:", Ask<AttributeValue>(t, new ReadAttribute("t1", "local_mac")).Text);
    }

    [Fact]
    public void State_changes_are_published_on_the_event_stream()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe, typeof(TargetStateChanged));
        EnabledTarget();
        probe.ExpectMsg<TargetStateChanged>(c => c.From == TargetState.Disabled && c.To == TargetState.SettingUp);
        probe.ExpectMsg<TargetStateChanged>(c => c.From == TargetState.SettingUp && c.To == TargetState.Enabled);
    }

    private sealed class ThrowingNetpoll : INetpoll
    {
        public Task<SetupResult> SetupAsync(SetupRequest request, CancellationToken cancel) => throw new InvalidOperationException("boom");
    }
}
