namespace Netoops.Protocol.Kmsg;

/// <summary>
/// One printk record as <c>/dev/kmsg</c> (and the netconsole extended format) spell it:
/// <c>&lt;prio&gt;,&lt;seq&gt;,&lt;ts_usec&gt;,&lt;flags&gt;[,caller=..];&lt;text&gt;\n</c> then ` KEY=value` lines.
/// </summary>
/// <param name="Priority">facility × 8 + level.</param>
/// <param name="Continuation">Flags <c>c</c>: the record continues in the next one (a line printed in pieces).</param>
/// <param name="Caller"><c>T&lt;pid&gt;</c> or <c>C&lt;cpu&gt;</c> on kernels that report it, else null.</param>
/// <param name="Text">The message, <c>\xNN</c> escapes undone, decoded as UTF-8.</param>
/// <param name="Dictionary">The ` KEY=value` lines in order (device info; on netconsole also userdata and sysdata).</param>
public sealed record KmsgRecord(
    int Priority,
    ulong Sequence,
    ulong TimestampMicros,
    bool Continuation,
    string? Caller,
    string Text,
    IReadOnlyList<KeyValuePair<string, string>> Dictionary)
{
    public int Facility => Priority >> 3;
    public int Level => Priority & 7;

    public KmsgRecord(int priority, ulong sequence, ulong timestampMicros, string text)
        : this(priority, sequence, timestampMicros, false, null, text, []) { }

    public bool Equals(KmsgRecord? other) =>
        other is not null && Priority == other.Priority && Sequence == other.Sequence
        && TimestampMicros == other.TimestampMicros && Continuation == other.Continuation
        && Caller == other.Caller && Text == other.Text && Dictionary.SequenceEqual(other.Dictionary);

    public override int GetHashCode() => HashCode.Combine(Priority, Sequence, TimestampMicros, Text);

    /// <summary>The header without the closing ';': <c>prio,seq,ts,flags[,caller=X]</c>.</summary>
    public string Header() =>
        $"{Priority},{Sequence},{TimestampMicros},{(Continuation ? 'c' : '-')}{(Caller is null ? "" : ",caller=" + Caller)}";
}
