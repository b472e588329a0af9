using Netoops.Actors.Targets;
using Netoops.Chaos.Tests.Harness;
using Netoops.Chaos.Tests.Mutants;
using Netoops.Chaos.Tests.World;
using Xunit.Abstractions;

namespace Netoops.Chaos.Tests;

/// <summary>The suite's own machinery: schedules from seeds, shrinking, and the rule table.</summary>
public sealed class HarnessTests(ITestOutputHelper output)
{
    [Fact]
    public void The_same_seed_draws_the_same_schedule_and_different_seeds_differ()
    {
        Assert.Equal(ScheduleGenerator.Generate(42), ScheduleGenerator.Generate(42));
        Assert.NotEqual(ScheduleGenerator.Generate(42), ScheduleGenerator.Generate(43));
    }

    [Fact]
    public void Shrinking_keeps_only_the_steps_the_failure_needs_in_their_order()
    {
        var enable = new Step(StepKind.Enable, "a");
        var unregister = new Step(StepKind.Unregister, Arg: 0);
        var noise = Enumerable.Range(0, 9).Select(i => new Step(StepKind.AdvanceClock, Arg: i)).ToList();
        var schedule = noise.Take(3).Append(enable).Concat(noise.Skip(3).Take(4)).Append(unregister).Concat(noise.Skip(7)).ToList();

        var shrunk = Shrinker.Shrink(schedule, c => c.ToList() is var l && l.IndexOf(enable) is >= 0 and var i && l.IndexOf(unregister) > i);

        Assert.Equal([enable, unregister], shrunk);
    }

    [Fact]
    public void Every_state_change_the_production_machine_makes_is_in_the_independent_rule_table()
    {
        var seen = 0;
        foreach (var from in Enum.GetValues<TargetState>())
        foreach (var trigger in Enum.GetValues<TargetTrigger>())
        {
            var machine = new TargetLifecycle("t", from);
            if (!machine.Fire(trigger).IsPermitted || machine.State == from) continue;
            seen++;
            Assert.True(LegalTransitions.Permits(from, trigger, machine.State), $"{from} -{trigger}-> {machine.State}");
        }
        Assert.True(seen >= 10, $"only {seen} state changes exercised");
    }

    /// <summary>
    /// The agent's share of the schedules does reach what issue 15 asks for: replays that empty the
    /// spool, restarts that find files on disk, and dumps cut by a target dropped mid-send; so the
    /// invariants I8 and I9 are not vacuously true.
    /// </summary>
    [Fact]
    public void Agent_schedules_reach_replays_restarts_with_a_spool_and_drops_mid_send()
    {
        using var runner = new ChaosRunner(Mutant.None, deterministic: true);
        int agentSchedules = 0, replayed = 0, restartedWithSpool = 0, cutByDrop = 0;
        for (var seed = 1; seed <= 300; seed++)
        {
            var steps = ScheduleGenerator.Generate(seed);
            if (!steps.Any(s => s.NeedsAgent)) continue;
            agentSchedules++;
            var trace = runner.Run(steps).Trace;
            if (trace.Any(l => l.Contains("spool:", StringComparison.Ordinal) && l.Contains(" left ", StringComparison.Ordinal))) replayed++;
            if (trace.Any(l => l.Contains("(replay under", StringComparison.Ordinal)) &&
                trace.SkipWhile(l => l != "> Restart the agent").Any(l => l.Contains("(replay under", StringComparison.Ordinal))) restartedWithSpool++;
            if (trace.Any(l => l.StartsWith("  coordinator -> ", StringComparison.Ordinal) && l.Contains(" Dropped ", StringComparison.Ordinal) ||
                               l.StartsWith("  coordinator -> ", StringComparison.Ordinal) && l.Contains(" Interrupted ", StringComparison.Ordinal))) cutByDrop++;
        }
        output.WriteLine($"of 300 seeds: {agentSchedules} with agent steps, {replayed} emptied the spool, " +
                         $"{restartedWithSpool} replayed after a restart, {cutByDrop} had a dump cut mid-send");
        Assert.InRange(agentSchedules, 60, 140);
        Assert.True(replayed >= 10, $"{replayed} schedules emptied the spool");
        Assert.True(restartedWithSpool >= 5, $"{restartedWithSpool} schedules replayed after a restart");
        Assert.True(cutByDrop >= 5, $"{cutByDrop} schedules had a dump cut mid-send");
    }
}
