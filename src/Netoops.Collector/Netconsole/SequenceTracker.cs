namespace Netoops.Collector.Netconsole;

/// <summary>What a message's sequence number says about the stream.</summary>
public enum SequenceVerdict
{
    /// <summary>The next one expected (or the first of the session).</summary>
    InOrder,
    /// <summary>Later than expected: the messages in between are missing (counted as a gap).</summary>
    Gap,
    /// <summary>Fills an earlier gap: it was reordered, not lost.</summary>
    Late,
    /// <summary>Seen already (a retransmission or a duplicated datagram): dropped.</summary>
    Duplicate,
    /// <summary>Went back to a number not recently seen: the sender rebooted or restarted its log.</summary>
    Reset,
}

/// <summary>
/// Follows one sender's sequence numbers. Remembers the timestamp of the last
/// <see cref="Window"/> sequence numbers, which tells a duplicate (same number, same timestamp)
/// from a reboot that happens to reuse a recent number (same number, another timestamp).
/// </summary>
public sealed class SequenceTracker
{
    public const int Window = 4096;

    private readonly ulong[] _timestamps = new ulong[Window];
    private readonly bool[] _seen = new bool[Window];
    private ulong _next;
    private bool _started;

    public ulong Missing { get; private set; }

    public SequenceVerdict Observe(ulong sequence, ulong timestampMicros)
    {
        if (!_started)
        {
            _started = true;
            Accept(sequence, timestampMicros);
            return SequenceVerdict.InOrder;
        }
        if (sequence == _next)
        {
            Accept(sequence, timestampMicros);
            return SequenceVerdict.InOrder;
        }
        if (sequence > _next)
        {
            var gap = sequence - _next;
            // Numbers skipped over become holes that a late arrival may still fill.
            for (var s = _next; s < sequence && sequence - s <= Window; s++) _seen[s % Window] = false;
            Missing += gap;
            Accept(sequence, timestampMicros);
            return SequenceVerdict.Gap;
        }
        var slot = sequence % Window;
        if (_next - sequence <= Window)
        {
            if (_seen[slot] && _timestamps[slot] == timestampMicros) return SequenceVerdict.Duplicate;
            if (!_seen[slot])
            {
                _seen[slot] = true;
                _timestamps[slot] = timestampMicros;
                Missing--;
                return SequenceVerdict.Late;
            }
        }
        Array.Clear(_seen);
        Missing = 0;
        Accept(sequence, timestampMicros);
        return SequenceVerdict.Reset;
    }

    private void Accept(ulong sequence, ulong timestampMicros)
    {
        _seen[sequence % Window] = true;
        _timestamps[sequence % Window] = timestampMicros;
        _next = sequence + 1;
    }
}
