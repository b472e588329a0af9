using Akka.Actor;
using Akka.TestKit.Xunit2;
using Netoops.Actors.Linux;
using Netoops.Actors.Subsystems;
using Netoops.Actors.Targets;
using Netoops.Agent.Dumps;
using Netoops.Agent.Hosting;
using Netoops.Agent.Machine;
using Netoops.Agent.Spool;

namespace Netoops.Agent.Tests.Dumps;

/// <summary>
/// What the dump desk's tests share: a real netoops subsystem (boot_id 77), a real spool in a
/// temporary directory, and a desk over a given coordinator.
/// </summary>
public abstract class DeskTestKit : TestKit
{
    protected readonly TempDirectory Dir = new();
    protected readonly DumpSpool Spool;
    protected readonly IActorRef Netoops;

    protected DeskTestKit(TimeSpan expectDefault) : base($"akka.test.single-expect-default = {(int)expectDefault.TotalSeconds}s\nakka.loglevel = WARNING")
    {
        Spool = new DumpSpool(Path.Combine(Dir.Path, "spool"));
        Netoops = Sys.ActorOf(TargetsSubsystem.Props(SubsystemOptions.Netoops(new LinuxNetpoll())), "netoops");
        Ask(new WriteSetting("boot_id", "77"));
        ExpectMsg<Accepted>();
    }

    /// <summary>Tells the netoops subsystem, answers coming to the test actor.</summary>
    protected void Ask(object message) => Netoops.Tell(message, TestActor);

    protected IActorRef Desk(IActorRef coordinator, TimeSpan? timeout = null) =>
        Sys.ActorOf(DumpDesk.Props(coordinator, Spool, new MachineFactsProvider(MachineFacts.Read("/")), new AgentCounters(), timeout));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Dir.Dispose();
    }
}
