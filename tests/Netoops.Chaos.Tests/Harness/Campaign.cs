using System.Diagnostics;
using System.Globalization;

namespace Netoops.Chaos.Tests.Harness;

/// <summary>A failing schedule, the seed that drew it, and its shrunk form.</summary>
public sealed record ChaosFailure(int Seed, IReadOnlyList<Step> Schedule, ScheduleOutcome Outcome, IReadOnlyList<Step> Shrunk, ScheduleOutcome ShrunkOutcome);

/// <summary>The result of playing many seeds: how many ran, and the first failure if any.</summary>
public sealed record CampaignResult(int Schedules, TimeSpan Elapsed, ChaosFailure? Failure);

/// <summary>
/// Plays seed after seed (seed i draws schedule i) until a budget is spent or a schedule fails,
/// and turns a failure into something a person can act on: seed, replay command, shrunk schedule.
/// </summary>
public static class Campaign
{
    public const string ReplayFilter = "FullyQualifiedName~Replaying_a_seed";

    /// <summary><c>CHAOS_SOAK_MINUTES</c>: play for this long instead of the CI budget.</summary>
    public static TimeSpan? Soak =>
        double.TryParse(Environment.GetEnvironmentVariable("CHAOS_SOAK_MINUTES"), NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && m > 0
            ? TimeSpan.FromMinutes(m)
            : null;

    public static CampaignResult Play(ChaosRunner runner, int firstSeed, int schedules, TimeSpan? soak = null)
    {
        var clock = Stopwatch.StartNew();
        var played = 0;
        for (var seed = firstSeed; soak is { } s ? clock.Elapsed < s : played < schedules; seed++)
        {
            played++;
            var steps = ScheduleGenerator.Generate(seed);
            var outcome = runner.Run(steps);
            if (!outcome.Failed) continue;
            var shrunk = Shrinker.Shrink(steps, candidate => runner.Run(candidate).Failed);
            return new CampaignResult(played, clock.Elapsed, new ChaosFailure(seed, steps, outcome, shrunk, runner.Run(shrunk)));
        }
        return new CampaignResult(played, clock.Elapsed, null);
    }

    public static string ReplayCommand(ChaosRunner runner, int seed) =>
        $"CHAOS_SEED={seed} CHAOS_MUTANT={runner.Mutant.Name.Replace(' ', '-')} CHAOS_MODE={(runner.Deterministic ? "deterministic" : "threaded")} " +
        $"dotnet test tests/Netoops.Chaos.Tests --filter {ReplayFilter}";

    public static IEnumerable<string> Describe(ChaosRunner runner, ChaosFailure failure)
    {
        yield return $"violation with {runner.Mutant.Name} ({(runner.Deterministic ? "deterministic" : "multi-threaded")}), seed {failure.Seed}";
        yield return $"  replay: {ReplayCommand(runner, failure.Seed)}";
        foreach (var v in failure.Outcome.Violations.Distinct().Take(5)) yield return $"  {v}";
        yield return $"  shrunk schedule ({failure.Shrunk.Count} of {failure.Schedule.Count} steps):";
        foreach (var step in failure.Shrunk) yield return $"    {step}";
        foreach (var v in failure.ShrunkOutcome.Violations.Distinct().Take(3)) yield return $"  shrunk fails with {v}";
    }
}
