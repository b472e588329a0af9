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

    /// <summary>Disagrees with pieces already held (other total, other bytes at the same place, too many pieces): dropped.</summary>
    Inconsistent,

    /// <summary>The total is over the receiver's cap: dropped.</summary>
    TooLong,

    /// <summary>Reassembled, but the whole payload is not a valid message body.</summary>
    Malformed,

    /// <summary>Holding it would exceed this sender's or every sender's fragment budget: dropped.</summary>
    OverBudget,
}

/// <summary>
/// Puts <c>ncfrag</c> fragments of one sender back together, keyed by sequence number. Pieces may
/// arrive in any order and more than once. Memory grows with the bytes that arrived, never with
/// the total a fragment announces: a message is held as the pieces received, within this sender's
/// byte cap and the shared <see cref="FragmentBudget"/>. At most <c>maxPending</c> messages are
/// incomplete at once (the oldest goes, counted in <see cref="Evicted"/>), and one incomplete for
/// longer than <c>maxAge</c> goes at the next datagram or <see cref="Expire"/> (<see cref="Expired"/>).
/// Late copies of a message completed recently are recognised as duplicates, not started afresh.
/// Not thread-safe: one per sender, used by the thread that owns the sender.
/// </summary>
public sealed class FragmentReassembler
{
    /// <summary>A kernel cuts a message of at most 8 KiB (CONSOLE_EXT_LOG_MAX) into ~1 KiB pieces: 64 is generous.</summary>
    public const int MaxPieces = 64;

    private readonly int _maxPending, _maxMessageBytes, _maxHeldBytes;
    private readonly TimeSpan _maxAge;
    private readonly FragmentBudget? _budget;
    private readonly Dictionary<ulong, Partial> _partials = [];
    private readonly Queue<ulong> _arrival = new();
    private readonly HashSet<ulong> _recentlyCompleted = [];
    private readonly Queue<ulong> _completionOrder = new();
    private int _heldBytes;

    public FragmentReassembler(int maxPending = 32, int maxMessageBytes = 128 * 1024, int maxHeldBytes = 256 * 1024,
        TimeSpan? maxAge = null, FragmentBudget? budget = null)
    {
        _maxPending = maxPending;
        _maxMessageBytes = maxMessageBytes;
        _maxHeldBytes = maxHeldBytes;
        _maxAge = maxAge ?? TimeSpan.FromSeconds(10);
        _budget = budget;
    }

    public int Pending => _partials.Count;
    public int HeldBytes => _heldBytes;
    public int Evicted { get; private set; }
    public int Expired { get; private set; }

    public IReadOnlyCollection<ulong> PendingSequences => _partials.Keys;

    public FragmentOutcome Add(ExtendedDatagram datagram, out ExtendedMessage? message) => Add(datagram, DateTimeOffset.MinValue, out message);

    public FragmentOutcome Add(ExtendedDatagram datagram, DateTimeOffset now, out ExtendedMessage? message)
    {
        message = null;
        if (datagram.Fragment is not { } position)
            return Complete(datagram, datagram.Payload.Span, out message);
        if (position.Total > _maxMessageBytes)
            return FragmentOutcome.TooLong;
        var piece = datagram.Payload.Span;
        if (position.Offset < 0 || position.Offset + piece.Length > position.Total)
            return FragmentOutcome.Inconsistent;
        if (_recentlyCompleted.Contains(datagram.Sequence))
            return FragmentOutcome.Duplicate;
        Expire(now);

        if (!_partials.TryGetValue(datagram.Sequence, out var partial))
        {
            partial = new Partial(datagram, position.Total, now);
            _partials[datagram.Sequence] = partial;
            _arrival.Enqueue(datagram.Sequence);
            EvictBeyondCapacity(keep: datagram.Sequence);
        }
        else if (partial.Total != position.Total)
            return FragmentOutcome.Inconsistent;

        var check = partial.Check(position.Offset, piece);
        if (check != FragmentOutcome.Pending)
            return DropIfEmpty(datagram.Sequence, partial, check);
        if (_heldBytes + piece.Length > _maxHeldBytes || !(_budget?.TryTake(piece.Length) ?? true))
            return DropIfEmpty(datagram.Sequence, partial, FragmentOutcome.OverBudget);
        partial.Keep(position.Offset, piece);
        _heldBytes += piece.Length;
        if (!partial.IsComplete)
            return FragmentOutcome.Pending;

        var whole = partial.Assemble();
        Forget(datagram.Sequence, partial);
        RememberCompleted(datagram.Sequence);
        return Complete(partial.First, whole, out message);
    }

    /// <summary>Drops the incomplete messages older than the age limit (call on a timer too).</summary>
    public void Expire(DateTimeOffset now)
    {
        while (_arrival.TryPeek(out var oldest))
        {
            if (!_partials.TryGetValue(oldest, out var partial))
            {
                _arrival.Dequeue(); // completed or dropped already
                continue;
            }
            if (now - partial.Started < _maxAge)
                return;
            _arrival.Dequeue();
            Forget(oldest, partial);
            Expired++;
        }
    }

    /// <summary>Forgets an incomplete message (the caller's reorder window for it has passed).</summary>
    public bool Discard(ulong sequence)
    {
        if (!_partials.TryGetValue(sequence, out var partial))
            return false;
        Forget(sequence, partial);
        return true;
    }

    /// <summary>Gives back everything held (the sender's session is going away).</summary>
    public void Clear()
    {
        foreach (var (sequence, partial) in _partials.ToList())
            Forget(sequence, partial);
        _arrival.Clear();
    }

    private FragmentOutcome DropIfEmpty(ulong sequence, Partial partial, FragmentOutcome outcome)
    {
        if (partial.HeldBytes == 0)
            _partials.Remove(sequence);
        return outcome;
    }

    private void Forget(ulong sequence, Partial partial)
    {
        _partials.Remove(sequence);
        _heldBytes -= partial.HeldBytes;
        _budget?.Return(partial.HeldBytes);
    }

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
        if (_completionOrder.Count > 4 * _maxPending)
            _recentlyCompleted.Remove(_completionOrder.Dequeue());
    }

    private void EvictBeyondCapacity(ulong keep)
    {
        while (_partials.Count > _maxPending && _arrival.TryDequeue(out var oldest))
        {
            if (oldest == keep)
            {
                _arrival.Enqueue(oldest);
                continue;
            }
            if (_partials.TryGetValue(oldest, out var partial))
            {
                Forget(oldest, partial);
                Evicted++;
            }
        }
    }

    /// <summary>One message's pieces as they came, disjoint, in arrival order: no buffer of the announced size.</summary>
    private sealed class Partial(ExtendedDatagram first, int total, DateTimeOffset started)
    {
        private readonly List<(int Offset, byte[] Bytes)> _pieces = [];
        private int _covered;

        public ExtendedDatagram First { get; } = first;
        public int Total { get; } = total;
        public DateTimeOffset Started { get; } = started;
        public int HeldBytes { get; private set; }
        public bool IsComplete => _covered == Total;

        /// <summary>Pending when the piece brings new bytes that agree with those held.</summary>
        public FragmentOutcome Check(int offset, ReadOnlySpan<byte> piece)
        {
            int overlap = 0;
            foreach (var (at, bytes) in _pieces)
            {
                int from = Math.Max(at, offset), to = Math.Min(at + bytes.Length, offset + piece.Length);
                if (from >= to)
                    continue;
                if (!piece[(from - offset)..(to - offset)].SequenceEqual(bytes.AsSpan(from - at, to - from)))
                    return FragmentOutcome.Inconsistent;
                overlap += to - from;
            }
            if (overlap == piece.Length)
                return FragmentOutcome.Duplicate;
            // A piece that only partly overlaps is an odd split, not a kernel's: refuse rather than
            // keep bytes twice.
            if (overlap > 0 || _pieces.Count == MaxPieces)
                return FragmentOutcome.Inconsistent;
            return FragmentOutcome.Pending;
        }

        public void Keep(int offset, ReadOnlySpan<byte> piece)
        {
            _pieces.Add((offset, piece.ToArray()));
            _covered += piece.Length;
            HeldBytes += piece.Length;
        }

        public byte[] Assemble()
        {
            var whole = new byte[Total];
            foreach (var (at, bytes) in _pieces)
                bytes.CopyTo(whole, at);
            return whole;
        }
    }
}
