using Netoops.Chaos.Tests.Harness;
using Netoops.Chaos.Tests.Mutants;
using Xunit.Abstractions;

namespace Netoops.Chaos.Tests;

/// <summary>
/// The chaos suite of issue 4: real code clean over at least 10,000 seeded deterministic schedules
/// and a share of multi-threaded ones; every historical race put back as a mutant is caught.
/// </summary>
public sealed class ChaosSuiteTests(ITestOutputHelper output)
{
    /// <summary>The CI budget; <c>CHAOS_SCHEDULES</c> overrides it for quick local runs.</summary>
    public static readonly int CiSchedules = int.TryParse(Environment.GetEnvironmentVariable("CHAOS_SCHEDULES"), out var n) && n > 0 ? n : 10_000;
    public const int ThreadedSchedules = 300;
    public const int MutantBudget = 5_000;
    private readonly ChaosReport _report = new(output);

    public static TheoryData<string> MutantNames() => new(Mutant.Historical.Select(m => m.Name));

    [Fact]
    public void Real_code_passes_ten_thousand_deterministic_schedules_without_a_violation()
    {
        using var runner = new ChaosRunner(Mutant.None, deterministic: true);
        var result = Campaign.Play(runner, firstSeed: 1, CiSchedules, Campaign.Soak);
        Report(runner, result);
        Assert.Null(result.Failure);
        Assert.True(result.Schedules >= CiSchedules || Campaign.Soak is not null, $"only {result.Schedules} schedules ran");
    }

    [Fact]
    public void Real_code_passes_schedules_on_the_default_multithreaded_dispatcher()
    {
        using var runner = new ChaosRunner(Mutant.None, deterministic: false);
        var result = Campaign.Play(runner, firstSeed: 1_000_001, ThreadedSchedules, Campaign.Soak);
        Report(runner, result);
        Assert.Null(result.Failure);
    }

    [Theory]
    [MemberData(nameof(MutantNames))]
    public void Historical_race_put_back_as_a_mutant_is_caught(string name)
    {
        var mutant = Mutant.Historical.Single(m => m.Name == name);
        using var runner = new ChaosRunner(mutant, deterministic: true);
        var result = Campaign.Play(runner, firstSeed: 1, MutantBudget);
        if (result.Failure is { } caught)
        {
            _report.Line($"mutant {name}: caught after {result.Schedules} schedules (seed {caught.Seed})");
            foreach (var line in Campaign.Describe(runner, caught)) output.WriteLine(line);
        }
        else
        {
            _report.Line($"mutant {name}: SURVIVED {result.Schedules} schedules ({mutant.Race})");
        }
        Assert.NotNull(result.Failure);

        // The printed seed is the whole story: a fresh actor system replays it to the same trace and violations.
        using var replay = new ChaosRunner(mutant, deterministic: true);
        var again = replay.Run(ScheduleGenerator.Generate(result.Failure.Seed));
        Assert.Equal(result.Failure.Outcome.Violations, again.Violations);
        Assert.Equal(result.Failure.Outcome.Trace, again.Trace);
    }

    /// <summary>
    /// The checks made inside the ports (sends, closes, state changes, replies) do not depend on the
    /// deterministic dispatcher: with real threads they still catch a mutant.
    /// </summary>
    [Theory]
    [InlineData("notifier-cleanup")]
    [InlineData("writes-while-enabled")]
    public void The_multithreaded_run_catches_a_historical_mutant_too(string name)
    {
        var mutant = Mutant.Historical.Single(m => m.Name == name);
        using var runner = new ChaosRunner(mutant, deterministic: false);
        var result = Campaign.Play(runner, firstSeed: 1, ThreadedSchedules);
        _report.Line(result.Failure is { } caught
            ? $"mutant {name} (multi-threaded): caught after {result.Schedules} schedules (seed {caught.Seed})"
            : $"mutant {name} (multi-threaded): SURVIVED {result.Schedules} schedules");
        Assert.NotNull(result.Failure);
    }

    /// <summary>
    /// The replay command printed with a violation lands here: CHAOS_SEED, CHAOS_MUTANT (a mutant
    /// name, default the real code) and CHAOS_MODE (deterministic, default, or threaded). Without
    /// them it replays a seed whose schedule makes, enables, faults and drops targets.
    /// </summary>
    [Fact]
    public void Replaying_a_seed_reproduces_the_same_schedule_and_outcome()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("CHAOS_SEED"), out var s) ? s : 1434;
        var mutantName = Environment.GetEnvironmentVariable("CHAOS_MUTANT");
        var mutant = Mutant.Historical.SingleOrDefault(m => m.Name == mutantName) ?? Mutant.None;
        var deterministic = Environment.GetEnvironmentVariable("CHAOS_MODE") != "threaded";

        var schedule = ScheduleGenerator.Generate(seed);
        Assert.Equal(schedule, ScheduleGenerator.Generate(seed));
        ScheduleOutcome first, second;
        using (var runner = new ChaosRunner(mutant, deterministic)) first = runner.Run(schedule);
        using (var runner = new ChaosRunner(mutant, deterministic)) second = runner.Run(schedule);

        output.WriteLine($"seed {seed}, {mutant.Name}, {(deterministic ? "deterministic" : "multi-threaded")}: {schedule.Count} steps");
        foreach (var line in first.Trace) output.WriteLine("  " + line);
        foreach (var violation in first.Violations) output.WriteLine("  " + violation);
        if (first.Failed)
        {
            using var runner = new ChaosRunner(mutant, deterministic);
            output.WriteLine("shrunk schedule:");
            foreach (var step in Shrinker.Shrink(schedule, c => runner.Run(c).Failed)) output.WriteLine("  " + step);
        }
        // Only the deterministic dispatcher promises the same interleaving; a threaded replay is a retry.
        if (!deterministic) return;
        Assert.Equal(first.Violations, second.Violations);
        Assert.Equal(first.Trace, second.Trace);
        Assert.Equal(mutant == Mutant.None, !first.Failed);
    }

    private void Report(ChaosRunner runner, CampaignResult result)
    {
        var mode = runner.Deterministic ? "deterministic" : "multi-threaded";
        if (result.Failure is { } failure)
        {
            _report.Line($"real code ({mode}): violation after {result.Schedules} schedules");
            foreach (var line in Campaign.Describe(runner, failure)) _report.Line(line);
            return;
        }
        _report.Line($"real code: {result.Schedules} schedules, 0 violations ({mode}, {result.Elapsed.TotalSeconds:F1} s)");
    }
}
