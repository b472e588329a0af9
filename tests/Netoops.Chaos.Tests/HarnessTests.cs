using Netoops.Actors.Targets;
using Netoops.Chaos.Tests.Harness;
using Netoops.Chaos.Tests.World;

namespace Netoops.Chaos.Tests;

/// <summary>The suite's own machinery: schedules from seeds, shrinking, and the rule table.</summary>
public sealed class HarnessTests
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
}
