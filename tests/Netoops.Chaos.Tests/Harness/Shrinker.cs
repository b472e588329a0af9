namespace Netoops.Chaos.Tests.Harness;

/// <summary>
/// Cuts a failing schedule down to one that still fails and from which no single step can be
/// removed without it passing (delta debugging: drop halves, then quarters, … then single steps).
/// </summary>
public static class Shrinker
{
    public static IReadOnlyList<Step> Shrink(IReadOnlyList<Step> failing, Func<IReadOnlyList<Step>, bool> stillFails)
    {
        var current = failing.ToList();
        var chunk = Math.Max(1, current.Count / 2);
        while (true)
        {
            var removedAny = false;
            for (var start = 0; start < current.Count;)
            {
                var candidate = current.Take(start).Concat(current.Skip(start + chunk)).ToList();
                if (candidate.Count < current.Count && stillFails(candidate))
                {
                    current = candidate;
                    removedAny = true;
                }
                else
                {
                    start += chunk;
                }
            }
            if (chunk == 1 && !removedAny) return current;
            if (!removedAny) chunk = Math.Max(1, chunk / 2);
        }
    }
}
