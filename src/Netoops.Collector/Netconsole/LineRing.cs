using System.Runtime.CompilerServices;
using System.Text;

namespace Netoops.Collector.Netconsole;

/// <summary>
/// The most recent lines of a stream, kept as UTF-8 in one preallocated buffer: adding a line
/// overwrites the oldest ones and allocates nothing, so keeping every line of a 300,000 lines/s
/// stream makes no garbage (and extended netconsole text, ASCII on the wire, is copied as it came).
/// Bounded in lines and in bytes (a line longer than the whole buffer keeps its beginning).
/// Strings are made only when someone reads the lines. One writer; callers that share it with
/// readers lock around it.
/// </summary>
public sealed class LineRing(int maxLines, int maxBytes)
{
    // A thousand hosts appear within milliseconds of a collector start, and each gets its rings at
    // once (tens of MiB in all). Allocated as ordinary arrays they were zeroed up front and then
    // copied by each young-generation collection they survived: a stall long enough to overflow the
    // socket buffer (most of a 300,000/s run's kernel drops came in its first second). Pinned and
    // uninitialised, they go straight to a heap that is never compacted and their pages are first
    // touched as lines arrive; only bytes that were written are ever read.
    private readonly byte[] _bytes = GC.AllocateUninitializedArray<byte>(Math.Max(maxBytes, 1), pinned: true);
    private readonly (int Start, int Length)[] _lines = new (int, int)[Math.Max(maxLines, 1)];
    private int _oldest, _count, _write;

    public int Count => _count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > _bytes.Length) utf8 = utf8[.._bytes.Length];
        if (_write + utf8.Length > _bytes.Length)
        {
            // No room before the end: start again at the front. Lines stored after the cursor are
            // the oldest of all and would be out of order now, so they go first.
            while (_count > 0 && _lines[_oldest].Start >= _write) DropOldest();
            _write = 0;
        }
        while (_count > 0 && (_count == _lines.Length || Overlaps(_lines[_oldest], _write, utf8.Length))) DropOldest();
        utf8.CopyTo(_bytes.AsSpan(_write));
        _lines[(_oldest + _count) % _lines.Length] = (_write, utf8.Length);
        _count++;
        _write += utf8.Length;
    }

    public void Add(ReadOnlySpan<char> line)
    {
        Span<byte> utf8 = line.Length <= 1024 ? stackalloc byte[line.Length * 3] : new byte[Encoding.UTF8.GetMaxByteCount(line.Length)];
        Add(utf8[..Encoding.UTF8.GetBytes(line, utf8)]);
    }

    public void Clear() => _oldest = _count = _write = 0;

    /// <summary>The newest <paramref name="max"/> lines (all by default), oldest first.</summary>
    public string[] ToArray(int max = int.MaxValue)
    {
        var take = Math.Min(max, _count);
        var lines = new string[take];
        for (var i = 0; i < take; i++)
        {
            var (start, length) = _lines[(_oldest + _count - take + i) % _lines.Length];
            lines[i] = Encoding.UTF8.GetString(_bytes, start, length);
        }
        return lines;
    }

    private static bool Overlaps((int Start, int Length) line, int start, int length) =>
        line.Start < start + length && start < line.Start + line.Length;

    private void DropOldest()
    {
        _oldest = (_oldest + 1) % _lines.Length;
        _count--;
    }
}
