namespace Netoops.Collector.Loadgen;

/// <summary>
/// A seeded, reproducible bad network: each datagram is lost with probability <see cref="Loss"/>,
/// sent twice with <see cref="Duplicate"/>, and held back with <see cref="Reorder"/> to go out
/// after the next datagram. The same seed and input give the same output.
/// </summary>
public sealed class Impairment(double loss, double duplicate, double reorder, int seed)
{
    private readonly Random _random = new(seed);
    private ReadOnlyMemory<byte>? _held;

    public double Loss { get; } = loss;
    public double Duplicate { get; } = duplicate;
    public double Reorder { get; } = reorder;

    public static Impairment None => new(0, 0, 0, 0);

    /// <summary>What leaves the network for one datagram that enters it (zero, one or more datagrams).</summary>
    public void Pass(ReadOnlyMemory<byte> datagram, List<ReadOnlyMemory<byte>> output)
    {
        if (_random.NextDouble() < Loss) return;
        var copies = _random.NextDouble() < Duplicate ? 2 : 1;
        if (_held is null && _random.NextDouble() < Reorder)
        {
            _held = datagram;
            return;
        }
        for (var i = 0; i < copies; i++) output.Add(datagram);
        if (_held is { } held)
        {
            output.Add(held);
            _held = null;
        }
    }

    /// <summary>Releases a datagram still held back for reordering.</summary>
    public void Drain(List<ReadOnlyMemory<byte>> output)
    {
        if (_held is { } held) output.Add(held);
        _held = null;
    }
}
