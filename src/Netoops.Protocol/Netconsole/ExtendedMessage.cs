using Netoops.Protocol.Kmsg;

namespace Netoops.Protocol.Netconsole;

/// <summary>
/// A whole extended netconsole message: the printk record (its dictionary holds device info,
/// userdata and sysdata lines, in wire order) and the release the sender prepended, if any.
/// </summary>
/// <param name="OddDictionaryLines">Dictionary lines not in the kernel's form (no leading space, or no
/// <c>KEY=value</c>): read where they could be, counted by the receiver.</param>
public sealed record ExtendedMessage(string? Release, KmsgRecord Record, int OddDictionaryLines = 0);

/// <summary>Where a fragment's payload sits in its message: <c>ncfrag=&lt;Offset&gt;/&lt;Total&gt;</c>.</summary>
public readonly record struct FragmentPosition(int Offset, int Total);

/// <summary>
/// One extended datagram as received: the header fields and the payload after ';'. A whole message
/// when <see cref="Fragment"/> is null; otherwise one piece of a message (text, userdata and sysdata
/// cut at arbitrary bytes) for <see cref="FragmentReassembler"/>.
/// </summary>
public sealed record ExtendedDatagram(
    string? Release,
    int Priority,
    ulong Sequence,
    ulong TimestampMicros,
    bool Continuation,
    string? Caller,
    FragmentPosition? Fragment,
    ReadOnlyMemory<byte> Payload);
