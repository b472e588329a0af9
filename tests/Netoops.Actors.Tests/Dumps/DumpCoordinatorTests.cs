using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Netoops.Actors.Dumps;
using Netoops.Actors.Subsystems;
using Netoops.Actors.Targets;
using Netoops.Actors.Tests.Doubles;
using Netoops.Protocol.Packets;

namespace Netoops.Actors.Tests.Dumps;

public class DumpCoordinatorTests : ActorTest
{
    private static readonly LogSnapshot Snapshot = new(
        Encoding.ASCII.GetBytes(new string('o', 1500)), Encoding.ASCII.GetBytes("BUG: kernel NULL pointer dereference\n" + new string('n', 600)));

    private readonly FakeNetpoll _netpoll = new();
    private readonly IActorRef _netoops;
    private TimeSpan _uptime = TimeSpan.FromSeconds(70_000.4);

    public DumpCoordinatorTests() =>
        _netoops = Sys.ActorOf(TargetsSubsystem.Props(SubsystemOptions.Netoops(_netpoll)), "netoops");

    private IActorRef Coordinator(DumpPolicy? policy = null, IActorRef? netoops = null, TimeSpan deadline = default) =>
        Sys.ActorOf(DumpCoordinator.Props(new DumpCoordinatorOptions(
            netoops ?? _netoops, "6.1.0-test", policy ?? DumpPolicy.Default, () => _uptime, ReportDeadline: deadline)));

    private T Ask<T>(IActorRef actor, object message)
    {
        actor.Tell(message, TestActor);
        return ExpectMsg<T>();
    }

    private void Make(string name, bool enable)
    {
        Ask<TargetMade>(_netoops, new MakeTarget(name));
        if (enable) Ask<Accepted>(_netoops, new WriteAttribute(name, "enabled", "1"));
    }

    private FakeChannel ChannelOf(string target) => _netpoll.Channels.Single(c => c.Target == target);

    [Fact]
    public void Dump_fans_out_only_to_targets_enabled_at_dump_start()
    {
        var netpoll = new FakeNetpoll { Manual = true };
        var netoops = Sys.ActorOf(TargetsSubsystem.Props(SubsystemOptions.Netoops(netpoll)));
        foreach (var name in new[] { "a", "b", "c" }) Ask<TargetMade>(netoops, new MakeTarget(name));
        netoops.Tell(new WriteAttribute("a", "enabled", "1"), TestActor);
        AwaitCondition(() => netpoll.PendingCount == 1);
        var a = netpoll.CompleteNext();
        ExpectMsg<Accepted>();
        var late = CreateTestProbe();
        netoops.Tell(new WriteAttribute("b", "enabled", "1"), late); // b is still setting up when the dump starts
        AwaitCondition(() => netpoll.PendingCount == 1);

        var report = Ask<DumpReport>(Coordinator(netoops: netoops), new DumpRequested(DumpReason.Oops, Snapshot));

        Assert.Equal([("a", DumpTargetOutcome.Sent, 3 * 3), ("b", DumpTargetOutcome.Busy, 0)],
            report.Targets.Select(t => (t.Target, t.Outcome, t.Sent)));
        var b = netpoll.CompleteNext();
        late.ExpectMsg<Accepted>();
        Assert.Equal(9, a.Sent);
        Assert.Equal(0, b.Sent);
    }

    [Fact]
    public void Packets_carry_the_dump_id_boot_id_user_blob_and_the_log_newest_first()
    {
        Make("a", enable: true);
        Ask<Accepted>(_netoops, new WriteSetting("boot_id", "77"));
        Ask<Accepted>(_netoops, new WriteSetting("user_blob", "rack=9"));
        var report = Ask<DumpReport>(Coordinator(), new DumpRequested(DumpReason.Oops, Snapshot));
        Assert.Equal((ushort)(70_000 & 0xffff), report.DumpId);
        Assert.Equal(3, report.PacketCount);

        var first = ChannelOf("a").Datagrams.First();
        Assert.Equal(PacketError.None, NetoopsPacket.TryDecode(first, out var packet));
        Assert.Equal((report.DumpId!.Value, 77u, 0u, 3u), (packet.DumpId, packet.BootId, packet.PacketNo, packet.PacketCount));
        Assert.Equal("rack=9", Encoding.ASCII.GetString(packet.UserBlob));
        Assert.StartsWith("BUG: kernel NULL", Encoding.ASCII.GetString(packet.Data));
    }

    [Fact]
    public void A_soft_dump_is_typed_soft()
    {
        Make("a", enable: true);
        Ask<DumpReport>(Coordinator(), new DumpRequested(DumpReason.Soft, Snapshot));
        NetoopsPacket.TryDecode(ChannelOf("a").Datagrams.First(), out var packet);
        Assert.Equal(DumpType.Soft, packet.Type);
    }

    [Fact]
    public void Dumps_are_reported_one_at_a_time_in_arrival_order_with_distinct_dump_ids()
    {
        Make("a", enable: true);
        var coordinator = Coordinator();
        coordinator.Tell(new DumpRequested(DumpReason.Oops, Snapshot), TestActor);
        coordinator.Tell(new DumpRequested(DumpReason.Panic, Snapshot), TestActor);
        var first = ExpectMsg<DumpReport>();
        var second = ExpectMsg<DumpReport>();
        Assert.Equal((1, DumpReason.Oops, 2, DumpReason.Panic), ((int)first.Serial, first.Reason, (int)second.Serial, second.Reason));
        Assert.NotEqual(first.DumpId, second.DumpId);
        Assert.Equal(18, ChannelOf("a").Sent);
    }

    [Fact]
    public void Dump_ids_never_repeat_within_a_boot_when_dumps_share_a_second()
    {
        Make("a", enable: true);
        var coordinator = Coordinator(policy: DumpPolicy.Default with { MinInterval = TimeSpan.Zero });
        var ids = new List<ushort>();
        foreach (var step in new[] { 0, 0, 1, 0 }) // uptime seconds 70000, 70000, 70001, 70001
        {
            _uptime += TimeSpan.FromSeconds(step);
            ids.Add(Ask<DumpReport>(coordinator, new DumpRequested(DumpReason.Soft, Snapshot)).DumpId!.Value);
        }
        Assert.Equal(new ushort[] { 70_000 & 0xffff, (70_000 & 0xffff) + 1, (70_000 & 0xffff) + 2, (70_000 & 0xffff) + 3 }, ids);
    }

    [Fact]
    public void Oom_dumps_are_refused_until_record_oom_is_set()
    {
        Make("a", enable: true);
        var coordinator = Coordinator();
        Assert.Contains("record_oom", Ask<DumpReport>(coordinator, new DumpRequested(DumpReason.Oom, Snapshot)).Refused);
        Ask<Accepted>(_netoops, new WriteSetting("record_oom", "1"));
        Assert.True(Ask<DumpReport>(coordinator, new DumpRequested(DumpReason.Oom, Snapshot)).Delivered);
    }

    [Fact]
    public void A_second_dump_for_the_same_reason_within_the_interval_is_rate_limited_but_another_reason_goes()
    {
        Make("a", enable: true);
        var coordinator = Coordinator();
        Assert.True(Ask<DumpReport>(coordinator, new DumpRequested(DumpReason.Oops, Snapshot)).Delivered);
        _uptime += TimeSpan.FromSeconds(1);
        Assert.StartsWith("rate limited", Ask<DumpReport>(coordinator, new DumpRequested(DumpReason.Oops, Snapshot)).Refused);
        Assert.True(Ask<DumpReport>(coordinator, new DumpRequested(DumpReason.Panic, Snapshot)).Delivered);
        _uptime += TimeSpan.FromSeconds(5);
        Assert.True(Ask<DumpReport>(coordinator, new DumpRequested(DumpReason.Oops, Snapshot)).Delivered);
    }

    [Fact]
    public void Warn_dumps_are_off_by_default() =>
        Assert.Contains("not enabled", Ask<DumpReport>(Coordinator(), new DumpRequested(DumpReason.Warn, Snapshot)).Refused);

    [Fact]
    public void With_no_enabled_target_the_report_is_empty_and_not_delivered()
    {
        Make("off", enable: false);
        var report = Ask<DumpReport>(Coordinator(), new DumpRequested(DumpReason.Oops, Snapshot));
        Assert.Empty(report.Targets);
        Assert.False(report.Delivered);
        Assert.Null(report.Refused);
    }

    [Fact]
    public void A_target_dropped_mid_dump_gives_an_outcome_never_a_hang()
    {
        Make("a", enable: true);
        var coordinator = Sys.ActorOf(DumpCoordinator.Props(new DumpCoordinatorOptions(
            _netoops, "6.1.0-test", DumpPolicy.Default, () => _uptime, Spacing: TimeSpan.FromHours(1)))); // one packet, then a long pause: the drop lands mid-dump
        coordinator.Tell(new DumpRequested(DumpReason.Oops, Snapshot), TestActor);
        AwaitCondition(() => ChannelOf("a").Sent > 0);
        _netoops.Tell(new DropTarget("a"), CreateTestProbe());
        var result = Assert.Single(ExpectMsg<DumpReport>().Targets);
        Assert.Contains(result.Outcome, new[] { DumpTargetOutcome.Interrupted, DumpTargetOutcome.Dropped });
        Assert.Equal(1, result.Sent);
    }

    [Fact]
    public void A_silent_subsystem_ends_in_a_refused_report_at_the_deadline()
    {
        var silent = CreateTestProbe();
        var report = Ask<DumpReport>(Coordinator(netoops: silent, deadline: TimeSpan.FromMilliseconds(300)), new DumpRequested(DumpReason.Oops, Snapshot));
        Assert.Contains("did not answer", report.Refused);
    }

    [Fact]
    public void Every_report_is_also_published_on_the_event_stream()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe, typeof(DumpReport));
        Ask<DumpReport>(Coordinator(), new DumpRequested(DumpReason.Oops, Snapshot));
        probe.ExpectMsg<DumpReport>();
    }
}
