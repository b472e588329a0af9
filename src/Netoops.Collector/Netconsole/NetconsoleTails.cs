using System.Collections.Concurrent;

namespace Netoops.Collector.Netconsole;

/// <summary>
/// The most recent netconsole lines per host (source address), bounded in lines per host and in
/// hosts, readable by the API while the receive loop appends. One small lock per host: the loop is
/// the only writer, so the lock is uncontended except while a reader copies.
/// </summary>
public sealed class NetconsoleTails(int linesPerHost, int maxHosts)
{
    private sealed class Tail(int capacity)
    {
        private readonly string[] _lines = new string[capacity];
        private int _next, _count;

        public void Add(string line)
        {
            lock (this)
            {
                _lines[_next] = line;
                _next = (_next + 1) % _lines.Length;
                _count = Math.Min(_count + 1, _lines.Length);
            }
        }

        public string[] Snapshot()
        {
            lock (this)
            {
                var copy = new string[_count];
                for (var i = 0; i < _count; i++)
                    copy[i] = _lines[(_next - _count + i + _lines.Length) % _lines.Length];
                return copy;
            }
        }
    }

    private readonly ConcurrentDictionary<string, Tail> _tails = new(StringComparer.Ordinal);

    public int Hosts => _tails.Count;

    public void Add(string host, string line)
    {
        if (linesPerHost <= 0) return;
        if (!_tails.TryGetValue(host, out var tail))
        {
            // Bounded in hosts: a flood of new sources must not grow memory without limit.
            if (_tails.Count >= maxHosts) return;
            tail = _tails.GetOrAdd(host, _ => new Tail(linesPerHost));
        }
        tail.Add(line);
    }

    public IReadOnlyList<string> Snapshot(string host) => _tails.TryGetValue(host, out var tail) ? tail.Snapshot() : [];
}
