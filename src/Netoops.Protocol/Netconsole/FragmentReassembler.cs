using Netoops.Protocol.Kmsg;

namespace Netoops.Protocol.Netconsole;

/// <summary>What <see cref="FragmentReassembler.Add"/> did with a datagram.</summary>
public enum FragmentOutcome
{
    /// <summary>A whole message: the datagram was not a fragment, or it was the last missing piece.</summary>
    Completed,

    /// <summary>Kept; more pieces of this message are still missing.</summary>
    Pending,

    /// <summary>These bytes were already received: ignored.</summary>
    Duplicate,

    /// <summary>Disagrees with pieces already held (other total, other bytes at the same place): dropped.</summary>
    Inconsistent,

    /// <summary>The total is over the receiver's cap: dropped.</summary>
    TooLong,

    /// <summary>Reassembled, but the whole payload is not a valid message body.</summary>
    Malformed,
}

/// <summary>
/// Puts <c>ncfrag</c> fragments of one sender back together, keyed by sequence number. Pieces may
/// arrive in any order and more than once. Holds at most <c>maxPending</c> incomplete messages,
/// dropping the oldest (counted in <see cref="Evicted"/>); timing out is the caller's business.
/// Late copies of a message completed recently are recognised as duplicates, not started afresh.
/// </summary>
public sealed class FragmentReassembler(int maxPending = 32, int maxMessageBytes = 128 * 1024)
{
    private readonly Dictionary<ulong, Partial> _partials = [];
    private readonly Queue<ulong> _arrival = new();
    private readonly HashSet<ulong> _recentlyCompleted = [];
    private readonly Queue<ulong> _completionOrder = new();

    public int Pending => _partials.Count;
    public int Evicted { get; private set; }

    public FragmentOutcome Add(ExtendedDatagram datagram, out ExtendedMessage? message)
    {
        message = null;
        if (datagram.Fragment is not { } position)
            return Complete(datagram, datagram.Payload.Span, out message);
        if (position.Total > maxMessageBytes)
            return FragmentOutcome.TooLong;
        if (_recentlyCompleted.Contains(datagram.Sequence))
            return FragmentOutcome.Duplicate;

        if (!_partials.TryGetValue(datagram.Sequence, out var partial))
        {
            partial = new Partial(datagram, position.Total);
            _partials[datagram.Sequence] = partial;
            _arrival.Enqueue(datagram.Sequence);
            EvictBeyondCapacity();
        }
        else if (partial.Total != position.Total)
            return FragmentOutcome.Inconsistent;

        var outcome = partial.Add(position.Offset, datagram.Payload.Span);
        if (outcome != FragmentOutcome.Pending || !partial.IsComplete)
            return outcome;
        _partials.Remove(datagram.Sequence);
        RememberCompleted(datagram.Sequence);
        return Complete(partial.First, partial.Bytes, out message);
    }

    /// <summary>Forgets an incomplete message (the caller's reorder window for it has passed).</summary>
    public bool Discard(ulong sequence) => _partials.Remove(sequence);

    public IReadOnlyCollection<ulong> PendingSequences => _partials.Keys;

    private static FragmentOutcome Complete(ExtendedDatagram header, ReadOnlySpan<byte> payload, out ExtendedMessage? message)
    {
        var error = ExtendedParser.ToMessage(header, payload, out var parsed);
        message = error == RecordError.None ? parsed : null;
        return error == RecordError.None ? FragmentOutcome.Completed : FragmentOutcome.Malformed;
    }

    private void RememberCompleted(ulong sequence)
    {
        if (!_recentlyCompleted.Add(sequence))
            return;
        _completionOrder.Enqueue(sequence);
        // Retransmissions arrive close together; remembering a few windows' worth is enough.
        if (_completionOrder.Count > 4 * maxPending)
            _recentlyCompleted.Remove(_completionOrder.Dequeue());
    }

    private void EvictBeyondCapacity()
    {
        while (_partials.Count > maxPending && _arrival.TryDequeue(out var oldest))
            if (_partials.Remove(oldest))
                Evicted++;
    }

    private sealed class Partial(ExtendedDatagram first, int total)
    {
        private readonly bool[] _have = new bool[total];
        private int _received;

        public ExtendedDatagram First { get; } = first;
        public int Total { get; } = total;
        public byte[] Bytes { get; } = new byte[total];
        public bool IsComplete => _received == Total;

        public FragmentOutcome Add(int offset, ReadOnlySpan<byte> piece)
        {
            var fresh = false;
            for (var i = 0; i < piece.Length; i++)
            {
                if (_have[offset + i])
                {
                    if (Bytes[offset + i] != piece[i])
                        return FragmentOutcome.Inconsistent;
                    continue;
                }
                fresh = true;
            }
            if (!fresh)
                return FragmentOutcome.Duplicate;
            for (var i = 0; i < piece.Length; i++)
            {
                if (_have[offset + i])
                    continue;
                _have[offset + i] = true;
                Bytes[offset + i] = piece[i];
                _received++;
            }
            return FragmentOutcome.Pending;
        }
    }
}
