using System.Text;
using Akka.Actor;
using Netoops.Actors.Dumps;
using Netoops.Actors.Linux;
using Netoops.Actors.Ports;
using Netoops.Actors.Subsystems;
using Netoops.Actors.Targets;
using Netoops.Actors.Tests.Doubles;

namespace Netoops.Actors.Tests.Dumps;

/// <summary>
/// The one dump-id allocator: monotonic within a boot_id, remembered in the state directory's
/// <c>dump-ids</c> file (the real file, in a temporary directory) across a restart of the coordinator.
/// </summary>
public sealed class DumpIdTests : ActorTest
{
    private static readonly LogSnapshot Snapshot = LogSnapshot.Of(Encoding.ASCII.GetBytes("BUG: kernel NULL pointer dereference\n"));
    private static readonly DumpPolicy NoRateLimit = DumpPolicy.Default with { MinInterval = TimeSpan.Zero };

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "netoops-ids-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly FakeNetpoll _netpoll = new();
    private readonly IActorRef _netoops;
    private TimeSpan _uptime = TimeSpan.FromSeconds(1_000.5);

    public DumpIdTests()
    {
        Directory.CreateDirectory(_dir);
        _netoops = Sys.ActorOf(TargetsSubsystem.Props(SubsystemOptions.Netoops(_netpoll)), "netoops");
        Ask<TargetMade>(_netoops, new MakeTarget("a"));
        Ask<Accepted>(_netoops, new WriteAttribute("a", "enabled", "1"));
        Ask<Accepted>(_netoops, new WriteSetting("boot_id", "41"));
    }

    private string IdFile => Path.Combine(_dir, "dump-ids");

    private IActorRef Coordinator(DumpPolicy? policy = null) =>
        Sys.ActorOf(DumpCoordinator.Props(new DumpCoordinatorOptions(
            _netoops, "6.1.0-test", policy ?? NoRateLimit, () => _uptime, DumpIds: new DumpIdFile(IdFile))));

    private T Ask<T>(IActorRef actor, object message)
    {
        actor.Tell(message, TestActor);
        return ExpectMsg<T>();
    }

    private DumpReport Dump(IActorRef coordinator, DumpReplay? replay = null, DumpReason reason = DumpReason.Soft) =>
        Ask<DumpReport>(coordinator, new DumpRequested(reason, Snapshot, Replay: replay));

    private void Stop(IActorRef actor)
    {
        Watch(actor);
        actor.Tell(PoisonPill.Instance);
        ExpectTerminated(actor);
    }

    [Fact]
    public void Ids_of_one_boot_only_move_forward_even_within_one_second_and_past_a_block()
    {
        var allocator = new DumpIdAllocator(new InMemoryDumpIdStore());
        var ids = Enumerable.Range(0, 3 * DumpIdAllocator.Block).Select(_ => allocator.Next(7, _uptime, out var _)).ToList();
        Assert.Equal(Enumerable.Range(1_000, ids.Count).Select(i => (ushort)i), ids);
    }

    [Fact]
    public void A_restarted_coordinator_never_hands_out_an_id_of_the_same_boot_again()
    {
        var first = Coordinator();
        var before = Enumerable.Range(0, 3).Select(_ => Dump(first).DumpId!.Value).ToList();
        Stop(first);

        // Same uptime second: the kernel's rule alone would give the first id again.
        var second = Coordinator();
        var after = Enumerable.Range(0, 3).Select(_ => Dump(second).DumpId!.Value).ToList();

        Assert.Equal(new ushort[] { 1_000, 1_001, 1_002 }, before);
        Assert.All(after, id => Assert.True(id > before[^1], $"id {id} after the restart, {before[^1]} before"));
        Assert.Equal(after.Distinct().Order(), after);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(IdFile));
    }

    [Fact]
    public void A_new_boot_id_starts_its_own_count_and_an_old_one_continues_where_it_was()
    {
        var coordinator = Coordinator();
        var boot41 = Dump(coordinator).DumpId!.Value;
        _uptime = TimeSpan.FromSeconds(2_000.5);
        Ask<Accepted>(_netoops, new WriteSetting("boot_id", "42"));
        var boot42 = Dump(coordinator);
        Ask<Accepted>(_netoops, new WriteSetting("boot_id", "41"));
        var again41 = Dump(coordinator).DumpId!.Value;

        Assert.Equal((ushort)1_000, boot41);
        Assert.Equal((2_000, 42u), (boot42.DumpId!.Value, boot42.Header!.BootId));
        Assert.Equal((ushort)1_001, again41);
    }

    [Fact]
    public void Replays_carry_their_own_boots_header_skip_the_rate_limit_and_take_ids_of_that_boot()
    {
        var coordinator = Coordinator(DumpPolicy.Default); // 5 s between two dumps of one reason
        var replay = new DumpReplay(9, "5.10.0-old", "rack=3");
        var reports = Enumerable.Range(0, 3).Select(_ => Dump(coordinator, replay, DumpReason.Oops)).ToList();
        var live = Dump(coordinator, reason: DumpReason.Oops);

        Assert.All(reports, r => Assert.True(r.Delivered, r.Refused));
        Assert.All(reports, r => Assert.Equal((9u, "5.10.0-old", "rack=3"), (r.Header!.BootId, r.Header.KernelVersion, r.Header.UserBlobText)));
        Assert.Equal(new ushort[] { 1_000, 1_001, 1_002 }, reports.Select(r => r.DumpId!.Value));
        // Replays are no crash loop of this boot: the live oops after them is not rate limited.
        Assert.True(live.Delivered, live.Refused);
        Assert.Equal((41u, "6.1.0-test"), (live.Header!.BootId, live.Header.KernelVersion));
    }

    [Fact]
    public void A_reserved_id_sends_nothing_and_a_replay_carrying_it_goes_out_under_it_without_taking_another()
    {
        var coordinator = Coordinator(DumpPolicy.Default);
        var reserved = Ask<DumpIdReserved>(coordinator, new ReserveDumpId(9));
        var current = Ask<DumpIdReserved>(coordinator, new ReserveDumpId(null)); // the netoops boot_id
        Assert.Equal((9u, (ushort)1_000), (reserved.BootId, reserved.DumpId));
        Assert.Equal(41u, current.BootId);

        var replay = new DumpReplay(9, "5.10.0-old", null, reserved.DumpId);
        var first = Dump(coordinator, replay);
        var resent = Dump(coordinator, replay); // the same dump again, as after a kill -9 mid-replay
        var next = Dump(coordinator, replay with { DumpId = null });

        Assert.Equal((ushort)1_000, first.DumpId);
        Assert.Equal((ushort)1_000, resent.DumpId);
        Assert.Equal((ushort)1_001, next.DumpId); // the reservation counted: the allocator moved past it
    }

    [Fact]
    public void An_id_file_that_cannot_be_written_does_not_stop_a_dump()
    {
        Directory.CreateDirectory(IdFile); // a directory where the file should be: every save fails
        var coordinator = Coordinator();
        var ids = Enumerable.Range(0, 2).Select(_ => Dump(coordinator)).ToList();
        Assert.All(ids, r => Assert.True(r.Delivered));
        Assert.Equal(new ushort[] { 1_000, 1_001 }, ids.Select(r => r.DumpId!.Value));
    }

    [Fact]
    public void The_id_file_keeps_the_lines_it_can_read()
    {
        File.WriteAllText(IdFile, "41 77\nnot a line\n9 65535\n");
        Assert.Equal(new[] { new DumpIdReservation(41, 77), new DumpIdReservation(9, 65535) }, new DumpIdFile(IdFile).Load());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
