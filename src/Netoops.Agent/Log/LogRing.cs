using System.Text;
using Netoops.Actors.Dumps;

namespace Netoops.Agent.Log;

/// <summary>
/// A bounded byte ring of dmesg-style lines (<c>[    4.008856] text</c>), the user-space
/// counterpart of the kernel's log_buf: the newest lines always fit, the oldest whole lines are
/// evicted to make room. Not thread-safe: one owner (the kmsg actor) appends and snapshots.
/// </summary>
public sealed class LogRing
{
    public const int DefaultCapacityBytes = 256 * 1024;

    private readonly byte[] _buffer;
    private readonly Queue<int> _lineLengths = new();
    private int _start;   // first byte of the oldest line still held
    private int _used;    // bytes held, from _start, wrapping at the end of _buffer

    public LogRing(int capacityBytes = DefaultCapacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityBytes, 64);
        _buffer = new byte[capacityBytes];
    }

    public int Capacity => _buffer.Length;
    public int Used => _used;
    public long EvictedLines { get; private set; }

    /// <summary>Formats one record as the kernel's dmesg does and appends it.</summary>
    public void Append(ulong timestampMicroseconds, string text)
        => AppendLine(FormatLine(timestampMicroseconds, text));

    public static string FormatLine(ulong timestampMicroseconds, string text)
        => $"[{timestampMicroseconds / 1_000_000,5}.{timestampMicroseconds % 1_000_000:D6}] {text}\n";

    /// <summary>Appends a line that already ends in '\n'; a line longer than the ring keeps its tail.</summary>
    public void AppendLine(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        ReadOnlySpan<byte> span = bytes;
        if (span.Length > _buffer.Length)
            span = span[^_buffer.Length..];

        while (_used + span.Length > _buffer.Length)
        {
            var oldest = _lineLengths.Dequeue();
            _start = (_start + oldest) % _buffer.Length;
            _used -= oldest;
            EvictedLines++;
        }

        var tail = (_start + _used) % _buffer.Length;
        var first = Math.Min(span.Length, _buffer.Length - tail);
        span[..first].CopyTo(_buffer.AsSpan(tail));
        span[first..].CopyTo(_buffer.AsSpan(0));
        _used += span.Length;
        _lineLengths.Enqueue(span.Length);
    }

    /// <summary>
    /// The ring as the kernel hands it to a dumper: the older segment (the end of the buffer,
    /// present only once the ring has wrapped) and the newer one. Copies: later appends never
    /// change a snapshot already taken.
    /// </summary>
    public LogSnapshot Snapshot()
    {
        var end = _start + _used;
        if (end <= _buffer.Length)
            return new LogSnapshot(ReadOnlyMemory<byte>.Empty, _buffer.AsSpan(_start, _used).ToArray());
        return new LogSnapshot(
            _buffer.AsSpan(_start).ToArray(),
            _buffer.AsSpan(0, end - _buffer.Length).ToArray());
    }
}
