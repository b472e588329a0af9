using Netoops.Chaos.Tests.Harness;
using Netoops.Chaos.Tests.Mutants;
using Netoops.Chaos.Tests.World;

namespace Netoops.Chaos.Tests;

/// <summary>
/// Races the chaos suite found in the actors, kept as fixed schedules (the shrunk ones it printed)
/// so they stay fixed: a device unregistered and registered again while its target was still
/// setting up or cleaning left the target Deactivated for good, because the register event found
/// it mid-transition.
/// </summary>
public sealed class FoundRaceTests
{
    private static ScheduleOutcome Play(params Step[] steps)
    {
        using var runner = new ChaosRunner(Mutant.None, deterministic: true);
        return runner.Run(steps);
    }

    [Fact]
    public void Device_unregistered_and_back_during_cleanup_resumes_the_target()
    {
        var outcome = Play(
            new Step(StepKind.Make, "c"), new Step(StepKind.Enable, "c"),
            new Step(StepKind.CloseFaults, Arg: (int)CloseMode.Held),
            new Step(StepKind.Unregister, Arg: 0), new Step(StepKind.Register, Arg: 0),
            new Step(StepKind.ReleaseClose, Arg: 0));

        Assert.Empty(outcome.Violations);
        Assert.Contains("c: Cleaning -CleanupDone-> SettingUp", outcome.Trace);
        Assert.Contains("c: SettingUp -SetupSucceeded-> Enabled", outcome.Trace);
    }

    [Fact]
    public void Device_unregistered_and_back_during_setup_resumes_the_target()
    {
        var outcome = Play(
            new Step(StepKind.Make, "a"), new Step(StepKind.SetupFaults, Arg: (int)SetupMode.Held),
            new Step(StepKind.Enable, "a"), new Step(StepKind.Unregister, Arg: 0), new Step(StepKind.Register, Arg: 0),
            new Step(StepKind.SetupFaults, Arg: (int)SetupMode.Instant), new Step(StepKind.ReleaseSetup, Arg: 0));

        Assert.Empty(outcome.Violations);
        Assert.Equal("a: SettingUp -SetupSucceeded-> Enabled", outcome.Trace.Last(l => l.StartsWith("a: ", StringComparison.Ordinal) && !l.Contains("Drop", StringComparison.Ordinal)));
    }
}
