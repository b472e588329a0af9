using System.Text;

namespace Netoops.Agent.Kmsg;

/// <summary>
/// Cuts a byte stream into kmsg records. /dev/kmsg hands over exactly one record per read, but a
/// FIFO (tests, replays) delivers a stream, so records are found by their shape: a header line
/// <c>prio,seq,ts,flags;text</c> followed by dictionary lines that start with a space.
/// A record is complete once the next header starts, or when the producer pauses on a line end
/// (<see cref="Flush"/>): waiting for the next record would delay an oops until the next printk.
/// </summary>
public sealed class KmsgFramer
{
    /// <summary>A line longer than this without a newline is not kmsg: it is dropped and counted.</summary>
    public const int MaxPendingBytes = 64 * 1024;

    private readonly List<byte> _partialLine = new();
    private readonly StringBuilder _record = new();

    /// <summary>Lines dropped because they could not be part of a record (too long, orphan continuation).</summary>
    public long MalformedLines { get; private set; }

    public void Push(ReadOnlySpan<byte> chunk, List<string> completed)
    {
        while (!chunk.IsEmpty)
        {
            var newline = chunk.IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (_partialLine.Count + chunk.Length > MaxPendingBytes)
                {
                    _partialLine.Clear();
                    MalformedLines++;
                }
                else
                {
                    foreach (var b in chunk) _partialLine.Add(b);
                }
                return;
            }

            AcceptLine(chunk[..newline], completed);
            chunk = chunk[(newline + 1)..];
        }
    }

    /// <summary>
    /// Emits the record in progress unless a half-read dictionary line may still belong to it;
    /// called when the producer pauses.
    /// </summary>
    public void Flush(List<string> completed)
    {
        var continuationPending = _partialLine.Count > 0 && _partialLine[0] == (byte)' ';
        if (!continuationPending && _record.Length > 0)
        {
            completed.Add(_record.ToString());
            _record.Clear();
        }
    }

    private void AcceptLine(ReadOnlySpan<byte> tail, List<string> completed)
    {
        string line;
        if (_partialLine.Count > 0)
        {
            foreach (var b in tail) _partialLine.Add(b);
            line = Encoding.UTF8.GetString(_partialLine.ToArray());
            _partialLine.Clear();
        }
        else
        {
            line = Encoding.UTF8.GetString(tail);
        }

        if (line.Length == 0)
            return;

        if (line[0] == ' ')
        {
            // A dictionary line belongs to the record in progress; without one it has no owner.
            if (_record.Length == 0) { MalformedLines++; return; }
            _record.Append(line).Append('\n');
            return;
        }

        if (_record.Length > 0)
        {
            completed.Add(_record.ToString());
            _record.Clear();
        }
        _record.Append(line).Append('\n');
    }
}
