namespace Netoops.Chaos.Tests.World;

/// <summary>
/// What happened during a schedule, line by line: ops, state changes, sockets. Two runs of the
/// same seed in deterministic mode must produce the same trace; a violation prints it.
/// </summary>
public sealed class Trace
{
    private readonly List<string> _lines = [];
    private readonly object _gate = new();

    public void Add(string line)
    {
        lock (_gate) _lines.Add(line);
    }

    public IReadOnlyList<string> Lines
    {
        get { lock (_gate) return _lines.ToList(); }
    }
}
