using System.Buffers.Text;
using System.Text;

namespace Netoops.Protocol.Kmsg;

/// <summary>
/// The grammar kmsg records and netconsole extended messages share: a comma-separated header, a
/// ';', the text up to '\n', then ` KEY=value` lines; text and values escape every byte below ' ',
/// from 127 up, and '\' as <c>\xNN</c> (what printk does), so the wire form is plain ASCII.
/// </summary>
internal static class RecordSyntax
{
    /// <summary>The header fields after an optional release: prio, seq, ts_usec, flags, then key=value options.</summary>
    public readonly record struct Header(int Priority, ulong Sequence, ulong TimestampMicros, bool Continuation, string? Caller, int FragmentOffset, int FragmentTotal)
    {
        public bool IsFragment => FragmentTotal > 0;
    }

    /// <summary>Parses <c>prio,seq,ts,flags[,caller=X][,ncfrag=o/t][,other=..]</c> (no release, no ';').</summary>
    public static RecordError ParseHeader(ReadOnlySpan<byte> header, out Header parsed)
    {
        parsed = default;
        var field = 0;
        int priority = 0;
        ulong sequence = 0, timestamp = 0;
        var continuation = false;
        string? caller = null;
        int offset = 0, total = 0;
        foreach (var range in header.Split((byte)','))
        {
            var value = header[range];
            switch (field++)
            {
                case 0:
                    if (!TryDecimal(value, out var p) || p > int.MaxValue)
                        return RecordError.BadPriority;
                    priority = (int)p;
                    break;
                case 1:
                    if (!TryDecimal(value, out sequence))
                        return RecordError.BadSequence;
                    break;
                case 2:
                    if (!TryDecimal(value, out timestamp))
                        return RecordError.BadTimestamp;
                    break;
                case 3:
                    if (value.Length != 1 || value[0] is not ((byte)'-' or (byte)'c' or (byte)'+'))
                        return RecordError.BadFlags;
                    continuation = value[0] == (byte)'c';
                    break;
                default:
                    // Options: caller= and ncfrag= are understood; others (future kernels) are skipped.
                    if (value.StartsWith("caller="u8))
                        caller = Encoding.ASCII.GetString(value["caller="u8.Length..]);
                    else if (value.StartsWith("ncfrag="u8) && !TryFragment(value["ncfrag="u8.Length..], out offset, out total))
                        return RecordError.BadFragment;
                    break;
            }
        }
        if (field < 4)
            return field switch { 1 => RecordError.BadSequence, 2 => RecordError.BadTimestamp, _ => RecordError.BadFlags };
        parsed = new Header(priority, sequence, timestamp, continuation, caller, offset, total);
        return RecordError.None;
    }

    /// <summary>Splits what follows the ';' into text and dictionary lines.</summary>
    public static RecordError ParseBody(ReadOnlySpan<byte> body, out string text, out IReadOnlyList<KeyValuePair<string, string>> dictionary)
    {
        ParseBodyLeniently(body, out text, out dictionary, out var oddLines);
        return oddLines == 0 ? RecordError.None : RecordError.BadDictionaryLine;
    }

    /// <summary>
    /// The receiver's reading of a body: a dictionary line the sender wrote without the kernel's
    /// leading space (netconsd's own test generator does) still counts, and a line that is no
    /// <c>KEY=value</c> at all is left out; both are counted in <paramref name="oddLines"/>, and the
    /// message and its text are kept.
    /// </summary>
    public static void ParseBodyLeniently(ReadOnlySpan<byte> body, out string text, out IReadOnlyList<KeyValuePair<string, string>> dictionary,
        out int oddLines)
    {
        oddLines = 0;
        var newline = body.IndexOf((byte)'\n');
        text = Unescape(newline < 0 ? body : body[..newline]);
        dictionary = [];
        if (newline < 0)
            return;
        List<KeyValuePair<string, string>>? lines = null;
        var rest = body[(newline + 1)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            bool spaced = line.Length > 0 && line[0] == (byte)' ';
            var entry = spaced ? line[1..] : line;
            var equals = entry.IndexOf((byte)'=');
            if (!spaced || equals < 1)
                oddLines++;
            if (equals < 1)
                continue;
            (lines ??= []).Add(new(Encoding.ASCII.GetString(entry[..equals]), Unescape(entry[(equals + 1)..])));
        }
        dictionary = (IReadOnlyList<KeyValuePair<string, string>>?)lines ?? [];
    }

    public static bool TryDecimal(ReadOnlySpan<byte> digits, out ulong value) =>
        Utf8Parser.TryParse(digits, out value, out var consumed) && consumed == digits.Length && digits.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0;

    private static bool TryFragment(ReadOnlySpan<byte> value, out int offset, out int total)
    {
        offset = total = 0;
        var slash = value.IndexOf((byte)'/');
        if (slash < 0 || !TryDecimal(value[..slash], out var o) || !TryDecimal(value[(slash + 1)..], out var t)
            || t == 0 || o >= t || t > int.MaxValue)
            return false;
        (offset, total) = ((int)o, (int)t);
        return true;
    }

    /// <summary>Undoes <c>\xNN</c>; a backslash not starting a valid escape is kept as it is.</summary>
    public static string Unescape(ReadOnlySpan<byte> escaped)
    {
        if (escaped.IndexOf((byte)'\\') < 0)
            return Encoding.UTF8.GetString(escaped);
        var bytes = new byte[escaped.Length];
        var n = 0;
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == (byte)'\\' && i + 3 < escaped.Length && escaped[i + 1] == (byte)'x'
                && Hex(escaped[i + 2]) is var high and >= 0 && Hex(escaped[i + 3]) is var low and >= 0)
            {
                bytes[n++] = (byte)(high * 16 + low);
                i += 3;
            }
            else
                bytes[n++] = escaped[i];
        }
        return Encoding.UTF8.GetString(bytes, 0, n);
    }

    /// <summary>UTF-8 of <paramref name="text"/> with printk's escaping applied.</summary>
    public static void AppendEscaped(List<byte> output, string text)
    {
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b < (byte)' ' || b >= 127 || b == (byte)'\\')
            {
                output.Add((byte)'\\');
                output.Add((byte)'x');
                output.Add(HexDigit(b >> 4));
                output.Add(HexDigit(b & 0xf));
            }
            else
                output.Add(b);
        }
    }

    private static int Hex(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    private static byte HexDigit(int nibble) => (byte)"0123456789abcdef"[nibble];
}
