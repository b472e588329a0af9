using Akka.Actor;
using Akka.Configuration;
using Netoops.Chaos.Tests.Mutants;

namespace Netoops.Chaos.Tests.Harness;

/// <summary>What one schedule did: the violations it found and its trace.</summary>
public sealed record ScheduleOutcome(IReadOnlyList<string> Violations, IReadOnlyList<string> Trace)
{
    public bool Failed => Violations.Count > 0;
}

/// <summary>
/// Plays schedules against the real actors (with an optional mutant), one actor system per runner.
/// Deterministic mode: Akka.TestKit's CallingThreadDispatcher (every message handled on the thread
/// that sends it) and TestScheduler (a virtual clock the schedule advances), so a seed always
/// replays the same interleaving. Multi-threaded mode: the default dispatcher and scheduler.
/// </summary>
public sealed class ChaosRunner : IDisposable
{
    private static readonly Config Quiet = ConfigurationFactory.ParseString("""
        akka.loglevel = OFF
        akka.stdout-loglevel = OFF
        akka.log-dead-letters = off
        akka.log-dead-letters-during-shutdown = off
        """);

    private static readonly Config DeterministicConfig = ConfigurationFactory.ParseString("""
        akka.actor.default-dispatcher.type = "Akka.TestKit.CallingThreadDispatcherConfigurator, Akka.TestKit"
        akka.actor.default-dispatcher.throughput = 2147483647
        akka.actor.internal-dispatcher.type = "Akka.TestKit.CallingThreadDispatcherConfigurator, Akka.TestKit"
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        """).WithFallback(Quiet);

    private readonly ActorSystem _system;
    private int _schedules;

    public ChaosRunner(Mutant mutant, bool deterministic)
    {
        Mutant = mutant;
        Deterministic = deterministic;
        _system = ActorSystem.Create("chaos", deterministic ? DeterministicConfig : Quiet);
    }

    public Mutant Mutant { get; }
    public bool Deterministic { get; }

    public ScheduleOutcome Run(IReadOnlyList<Step> steps)
    {
        // With a synchronization context (xunit installs one), awaits inside Akka's PipeTo would
        // hop threads; without one, continuations of the chaos ports' tasks run inline.
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            var run = new ScheduleRun(_system, Mutant, Deterministic, ++_schedules, withAgent: steps.Any(s => s.NeedsAgent));
            var (violations, trace) = run.Play(steps);
            return new ScheduleOutcome(violations, trace);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    public void Dispose()
    {
        _system.Terminate().Wait(TimeSpan.FromSeconds(10));
        World.ChaosAgent.RemoveRootIfEmpty();
    }
}
