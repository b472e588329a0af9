namespace Netoops.Protocol.Netconsole;

/// <summary>
/// The bytes every sender's incomplete <c>ncfrag</c> messages may hold together. One instance is
/// owned by the receiver and handed to each sender's <see cref="FragmentReassembler"/>; what one
/// sender holds it returns when the message completes or is dropped. Counts what it refused and
/// catches a return of more than was taken (a bookkeeping bug, not an input).
/// </summary>
public sealed class FragmentBudget(long capacityBytes)
{
    private long _held;

    public long CapacityBytes { get; } = capacityBytes > 0 ? capacityBytes : throw new ArgumentOutOfRangeException(nameof(capacityBytes));
    public long HeldBytes => Interlocked.Read(ref _held);
    public long Refused => Interlocked.Read(ref _refused);
    private long _refused;

    /// <summary>The default: 64 MiB, a thousand senders each mid-way through a 64 KiB message.</summary>
    public static FragmentBudget Default() => new(64L << 20);

    public bool TryTake(int bytes)
    {
        while (true)
        {
            var held = Interlocked.Read(ref _held);
            if (held + bytes > CapacityBytes)
            {
                Interlocked.Increment(ref _refused);
                return false;
            }
            if (Interlocked.CompareExchange(ref _held, held + bytes, held) == held)
                return true;
        }
    }

    public void Return(long bytes)
    {
        if (Interlocked.Add(ref _held, -bytes) < 0)
            throw new InvalidOperationException($"fragment budget returned {bytes} bytes more than it lent");
    }
}
