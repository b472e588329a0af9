using System.Runtime.CompilerServices;

namespace Netoops.Collector.Netconsole;

/// <summary>
/// The common case of an extended netconsole datagram, read in place without allocating: one
/// whole message (no <c>ncfrag</c>), a plain-ASCII text with no <c>\xNN</c> escapes, well-formed
/// dictionary lines. Anything else (fragments, escapes, unknown header options, malformed input)
/// is left to the protocol's full parser, which also names what is wrong with bad input, so both
/// paths accept and refuse the same datagrams.
/// </summary>
public readonly ref struct CommonMessage
{
    /// <summary>The prepended release, empty when there is none.</summary>
    public ReadOnlySpan<byte> Release { get; private init; }
    public ulong Sequence { get; private init; }
    public ulong TimestampMicros { get; private init; }
    /// <summary>The message text: printable ASCII.</summary>
    public ReadOnlySpan<byte> Text { get; private init; }
    /// <summary>The ` KEY=value` lines after the text (often empty).</summary>
    public ReadOnlySpan<byte> Dictionary { get; private init; }

    /// <summary>Up to 19 digits always fit an unsigned 64-bit number; longer ones go to the full parser.</summary>
    private const int MaxDigits = 19;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryRead(ReadOnlySpan<byte> datagram, out CommonMessage message)
    {
        message = default;
        var semicolon = datagram.IndexOf((byte)';');
        if (semicolon < 0) return false;
        var header = datagram[..semicolon];
        var release = datagram[..0];
        var field = Next(ref header);
        if (!TryNumber(field, out var priority))
        {
            if (field.IsEmpty) return false;
            release = field;
            if (!TryNumber(Next(ref header), out priority)) return false;
        }
        if (priority > int.MaxValue
            || !TryNumber(Next(ref header), out var sequence)
            || !TryNumber(Next(ref header), out var timestamp))
            return false;
        var flags = Next(ref header);
        if (flags.Length != 1 || flags[0] is not ((byte)'-' or (byte)'c' or (byte)'+')) return false;
        while (!header.IsEmpty)
            if (!Next(ref header).StartsWith("caller="u8)) return false; // ncfrag= or an option this path does not know

        var body = datagram[(semicolon + 1)..];
        var newline = body.IndexOf((byte)'\n');
        var text = newline < 0 ? body : body[..newline];
        // Printable ASCII only: escapes ('\') and anything else need the full parser's decoding.
        if (text.IndexOfAnyExceptInRange((byte)' ', (byte)'~') >= 0 || text.Contains((byte)'\\')) return false;
        var dictionary = newline < 0 ? [] : body[(newline + 1)..];
        if (dictionary.Contains((byte)'\\') || !WellFormedDictionary(dictionary)) return false;
        message = new CommonMessage { Release = release, Sequence = sequence, TimestampMicros = timestamp, Text = text, Dictionary = dictionary };
        return true;
    }

    /// <summary>The value of dictionary key <paramref name="key"/> (as `key=`), empty when absent.</summary>
    public ReadOnlySpan<byte> DictionaryValue(ReadOnlySpan<byte> key)
    {
        var rest = Dictionary;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (line[1..].StartsWith(key)) return line[(1 + key.Length)..];
        }
        return [];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<byte> Next(scoped ref ReadOnlySpan<byte> header)
    {
        var comma = header.IndexOf((byte)',');
        var field = comma < 0 ? header : header[..comma];
        header = comma < 0 ? [] : header[(comma + 1)..];
        return field;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryNumber(ReadOnlySpan<byte> digits, out ulong value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > MaxDigits) return false;
        foreach (var digit in digits)
        {
            var d = (uint)(digit - '0');
            if (d > 9) return false;
            value = value * 10 + d;
        }
        return true;
    }

    /// <summary>Each line is ` KEY=value` with a key of at least one character, as the full parser demands.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool WellFormedDictionary(ReadOnlySpan<byte> rest)
    {
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            if (line.Length < 2 || line[0] != (byte)' ' || line.IndexOf((byte)'=') < 2) return false;
        }
        return true;
    }
}
