using System.Text.Json;
using Akka.Actor;
using Netoops.Actors.Dumps;
using Netoops.Actors.Linux;
using Netoops.Agent.Dumps;
using Netoops.Agent.Hosting;
using Netoops.Agent.Kmsg;
using Netoops.Agent.Machine;
using Netoops.Agent.Spool;
using Netoops.Analysis;
using Netoops.Chaos.Tests.Harness;
using Netoops.Chaos.Tests.Mutants;

namespace Netoops.Chaos.Tests.World;

/// <summary>
/// The agent's dump path as a schedule drives it: the real dump coordinator (its id allocator
/// reserving in <c>dump-ids</c>) and the real dump desk (its spool) over one state directory. A
/// restart is a kill -9: both actors stop with whatever was in flight, what is on disk stays, and
/// a new coordinator and desk start over the same directory, as the next agent process would.
/// The directory is on tmpfs when there is one: the spool fsyncs every file, and thousands of
/// schedules must not wait for a disk. Deterministic runs only (see <see cref="StepPump"/>).
/// </summary>
internal sealed class ChaosAgent : IDisposable
{
    private static readonly MachineFactsProvider Facts = new(new MachineFacts(new CpuIdentity(1, 6, 85, 7), "6.1.0-chaos", 0, "", ""));
    private static readonly string Root = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(),
        $"netoops-chaos-{Environment.ProcessId}");
    private static int _directories;

    private readonly ActorSystem _system;
    private readonly IActorRef _netoops;
    private readonly Func<TimeSpan> _uptime;
    private readonly Mutant _mutant;
    private readonly DumpLedger _ledger;
    private readonly Trace _trace;
    private readonly StepPump _pump;
    private readonly string _directory;
    private readonly int _id;
    private IActorRef _coordinator = ActorRefs.Nobody;
    private IActorRef _desk = ActorRefs.Nobody;
    private DumpSpool _spool = null!;
    private int _crashes;

    public ChaosAgent(ActorSystem system, IActorRef netoops, Func<TimeSpan> uptime, Mutant mutant, DumpLedger ledger, Trace trace,
        StepPump pump, int id)
    {
        _pump = pump;
        _system = system;
        _netoops = netoops;
        _uptime = uptime;
        _mutant = mutant;
        _ledger = ledger;
        _trace = trace;
        _id = id;
        // Runners in parallel test classes share the process: a directory per agent, never per schedule id.
        _directory = Path.Combine(Root, Interlocked.Increment(ref _directories).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(_directory);
        Start();
    }

    /// <summary>Which run of the agent this is: 1, then one more per restart.</summary>
    public int Incarnation { get; private set; }

    /// <summary>Where the schedule's own dump requests go: the current coordinator, through its tap.</summary>
    public CoordinatorTap Coordinator { get; private set; } = null!;

    public List<DeskReplyBox> Requests { get; } = [];

    /// <summary>Every dump handed to a desk: its name, the incarnation that took it, and whether it was acknowledged as spooled.</summary>
    public List<HandedDump> Handed { get; } = [];

    /// <param name="Acknowledged">For a pstore record: the box whose <c>PendingSpooled</c> says it is durable.</param>
    public sealed record HandedDump(string Dump, int Incarnation, DeskReplyBox? Acknowledged);

    /// <summary>Nothing owed: no answer pending for the desk, and the coordinator not in a dump.</summary>
    public bool Idle => _pump.Pending == 0 && Coordinator.Outstanding == 0;

    /// <summary>A crash the kmsg watch completed (Oops, Panic) or a soft dump; answered only for the soft one.</summary>
    public void Crash(DumpCause cause)
    {
        var number = NextNumber();
        var log = LogSnapshot.Of(DumpMark.Log(number, 1500));
        Handed.Add(new HandedDump($"dump #{number}", Incarnation, null));
        if (cause == DumpCause.Soft)
        {
            _desk.Tell(new SoftDumpOf(log, Box($"soft dump #{number}")));
            return;
        }
        var kind = cause == DumpCause.Panic ? CrashKind.Panic : CrashKind.Oops;
        var report = new CrashReport(kind, "chaos", "chaos", kind.ToString().ToUpperInvariant(), false, [], null, null, null, null, 0, 0, []);
        _desk.Tell(new CrashDetected(report, log));
    }

    /// <summary>A pstore record: no dump id yet, of this boot (null) or of the previous one.</summary>
    public void Pstore(uint? bootId)
    {
        var number = NextNumber();
        var record = new PendingDump(DumpCause.Panic, [], DumpMark.Log(number, 1200), null, 1, 6, 85, 7, "6.0.0-previous", bootId, null,
            "pstore", DateTimeOffset.UnixEpoch);
        var box = Box($"pstore dump #{number}");
        Handed.Add(new HandedDump($"dump #{number}", Incarnation, box));
        _desk.Tell(new SpoolAndSend(record), box);
    }

    /// <summary>kill -9 and start again: the answers the old desk owed are lost with it.</summary>
    public void Restart()
    {
        Stop();
        Start();
    }

    public void Stop()
    {
        _system.Stop(_desk);
        _system.Stop(_coordinator);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // a leftover in tmpfs is harmless, and no later agent uses its name
        }
    }

    /// <summary>The per-process folder, once no agent of this process has a directory in it (else a no-op).</summary>
    public static void RemoveRootIfEmpty()
    {
        try
        {
            if (Directory.Exists(Root) && !Directory.EnumerateFileSystemEntries(Root).Any()) Directory.Delete(Root);
        }
        catch (IOException)
        {
            // another runner of this process made an agent meanwhile; its own clean-up comes later
        }
    }

    /// <summary>Dump numbers go on across restarts: they name crashes, not anything the agent counts.</summary>
    public int NextNumber() => ++_crashes;

    private void Start()
    {
        Incarnation++;
        var provider = ((ExtendedActorSystem)_system).Provider;
        _spool = new DumpSpool(Path.Combine(_directory, "spool"));
        // Spaced packets make a dump take virtual time, so a drop, disable or restart can cut it.
        var options = new DumpCoordinatorOptions(_netoops, "6.1.0-chaos", DumpPolicy.Default, _uptime,
            Rounds: 1, Spacing: TimeSpan.FromMilliseconds(1), ReportDeadline: TimeSpan.FromMilliseconds(500),
            DumpIds: new DumpIdFile(Path.Combine(_directory, "dump-ids")), IdSource: _mutant.DumpIds);
        _coordinator = _system.ActorOf(DumpCoordinator.Props(options), $"agent-dumps-{_id}-{Incarnation}");
        Coordinator = new CoordinatorTap(provider.TempPath(), provider, _coordinator, _ledger, _trace, _mutant.DeskHears);
        var spool = _spool;
        _ledger.SpoolIs(spool.Entries, DumpOf);
        _pump.AfterEach = () => _ledger.SpoolIs(spool.Entries, DumpOf);
        // The desk waits for the coordinator as long as it takes: a real-time ask timeout would fire
        // at a moment no seed chooses, and the coordinator's own (virtual) deadline always answers.
        _desk = _system.ActorOf(DumpDesk.Props(Coordinator, spool, Facts, new AgentCounters(), Timeout.InfiniteTimeSpan,
            _pump), $"agent-desk-{_id}-{Incarnation}");
    }

    private DeskReplyBox Box(string request)
    {
        var provider = ((ExtendedActorSystem)_system).Provider;
        var box = new DeskReplyBox(provider.TempPath(), provider, _trace, request, Incarnation);
        Requests.Add(box);
        return box;
    }

    private static string DumpOf(SpoolEntry entry)
    {
        var dump = JsonSerializer.Deserialize<PendingDump>(File.ReadAllBytes(entry.Path))!;
        return DumpMark.Of(dump.Older.Length > 0 ? dump.Older : dump.Newer);
    }
}
