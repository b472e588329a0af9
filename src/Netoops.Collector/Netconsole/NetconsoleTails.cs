using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Netoops.Collector.Netconsole;

/// <summary>
/// The most recent netconsole lines per host (source address), bounded in lines per host and in
/// hosts, readable by the API while the receive loop appends. Each host's lines live in a
/// <see cref="LineRing"/> (no allocation per line) behind a small lock: the loop is the only
/// writer, so the lock is uncontended except while a reader copies.
/// </summary>
public sealed class NetconsoleTails(int linesPerHost, int maxHosts)
{
    /// <summary>Bytes set aside per kept line (typical kernel lines are under 100).</summary>
    public const int BytesPerLine = 160;

    /// <summary>One host's recent lines, held by its sessions so that appending needs no lookup.</summary>
    public sealed class Tail(int lines)
    {
        private readonly LineRing _ring = new(lines, lines * BytesPerLine);

        /// <summary>The host's stream accounting (loss, last seen, release), beside its lines.</summary>
        public HostStream Stream { get; } = new();

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Add(ReadOnlySpan<byte> utf8)
        {
            lock (_ring) _ring.Add(utf8);
        }

        public void Add(ReadOnlySpan<char> line)
        {
            lock (_ring) _ring.Add(line);
        }

        /// <summary>The newest <paramref name="max"/> lines, oldest first.</summary>
        public string[] Newest(int max)
        {
            lock (_ring) return _ring.ToArray(max);
        }
    }

    private readonly ConcurrentDictionary<string, Tail> _tails = new(StringComparer.Ordinal);

    public int Hosts => _tails.Count;

    /// <summary>
    /// The ring <paramref name="host"/>'s sessions append to. Past the bound on hosts (or with no
    /// tail kept) a session gets a one-line ring nobody reads: a flood of new sources grows no shared state.
    /// </summary>
    public Tail For(string host)
    {
        if (_tails.TryGetValue(host, out var tail)) return tail;
        return _tails.Count >= maxHosts || linesPerHost == 0 ? new Tail(1) : _tails.GetOrAdd(host, _ => new Tail(linesPerHost));
    }

    /// <summary>Every kept host's stream accounting: how a netconsole-only host reaches `/api/hosts`.</summary>
    public IEnumerable<(string Host, HostStream.Snapshot Stream)> Streams() =>
        _tails.Select(entry => (entry.Key, entry.Value.Stream.Read()));

    public IReadOnlyList<string> Snapshot(string host) =>
        linesPerHost > 0 && _tails.TryGetValue(host, out var tail) ? tail.Newest(linesPerHost) : [];
}
