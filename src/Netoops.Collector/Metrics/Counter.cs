using System.Collections.Concurrent;

namespace Netoops.Collector.Metrics;

/// <summary>A monotonically increasing count, safe to bump from any thread.</summary>
public sealed class Counter
{
    private long _value;
    public long Value => Interlocked.Read(ref _value);
    public void Increment() => Interlocked.Increment(ref _value);
    public void Add(long n) => Interlocked.Add(ref _value, n);
}

/// <summary>A value that goes up and down (queue lengths, entities alive).</summary>
public sealed class Gauge
{
    private long _value;
    public long Value => Interlocked.Read(ref _value);
    public void Set(long value) => Interlocked.Exchange(ref _value, value);
    public void Add(long n) => Interlocked.Add(ref _value, n);
}

/// <summary>Counters split by one label (e.g. invalid datagrams by error kind); labels are created on first use.</summary>
public sealed class LabeledCounter(string label)
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    public string Label { get; } = label;
    public Counter this[string value] => _counters.GetOrAdd(value, static _ => new Counter());
    public IEnumerable<KeyValuePair<string, long>> Values =>
        _counters.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => KeyValuePair.Create(c.Key, c.Value.Value));
    public long Total => _counters.Values.Sum(c => c.Value);
}
