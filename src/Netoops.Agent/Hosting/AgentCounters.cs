using System.Collections.Concurrent;

namespace Netoops.Agent.Hosting;

/// <summary>
/// The agent's monotonic counters, for `netoops status` and Prometheus. Counters are the one
/// thing written from several places (reader thread, actors): each is an atomic increment,
/// never read to make a decision, so they are not state in the actor sense.
/// </summary>
public sealed class AgentCounters
{
    private readonly ConcurrentDictionary<string, long> _values = new(StringComparer.Ordinal);

    public void Add(string name, long delta = 1) => _values.AddOrUpdate(name, delta, (_, v) => v + delta);

    public void Set(string name, long value) => _values[name] = value;

    public long this[string name] => _values.GetValueOrDefault(name);

    public IReadOnlyDictionary<string, long> Snapshot() => new SortedDictionary<string, long>(_values, StringComparer.Ordinal);
}
