using System.Buffers;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using Netoops.Collector.Netconsole;

namespace Netoops.Collector.Analysis;

/// <summary>
/// A cheap fingerprint of a dump's report region, so that in a crash storm (thousands of hosts
/// hitting one bug at once) a dump whose report matches one analysed moments ago is counted into
/// that bucket without a full analysis. The region runs from the first line that may open a report
/// (<see cref="CrashTrigger"/>, i.e. <c>ReportBoundary</c>'s markers) to the end of the text.
/// What differs between hosts hitting the same bug is masked: the printk time prefix, and every
/// token that is a number (starts with a digit: CPU, PID, offsets, lengths, times, line numbers) or
/// a long hex run (addresses, register values). Identifiers are kept whole (<c>ext4_map_blocks</c>),
/// and a <c>Hardware name:</c> line is kept verbatim (it names the machine and BIOS a crash is
/// filed under). Because numbers are masked, an analysis whose title or bucket holds a masked token
/// is never reused (<see cref="MasksPartOf"/>).
/// </summary>
public static class ReportFingerprint
{
    /// <summary>A region longer than this is no storm's copy of a report: analysed in full.</summary>
    public const int MaxLines = 400;

    /// <summary>Seeded per process: a sender cannot aim a collision at another host's bucket.</summary>
    private static readonly long Seed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));

    private static ReadOnlySpan<byte> HardwareName => "Hardware name:"u8;

    /// <summary>False when the text has no report region, or one too long to be worth folding.</summary>
    public static bool TryCompute(ReadOnlySpan<byte> text, string kernel, ushort dumpType, out ulong fingerprint)
    {
        fingerprint = 0;
        var start = FirstOpeningLine(text);
        if (start < 0) return false;
        var hash = new XxHash3(Seed);
        hash.Append(Encoding.UTF8.GetBytes(kernel));
        Span<byte> type = [(byte)dumpType, (byte)(dumpType >> 8), (byte)'\n'];
        hash.Append(type);
        var rest = text[start..];
        for (var lines = 0; !rest.IsEmpty; lines++)
        {
            if (lines == MaxLines) return false;
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            AppendMasked(ref hash, WithoutTimePrefix(line));
        }
        fingerprint = hash.GetCurrentHashAsUInt64();
        return true;
    }

    /// <summary>True when <paramref name="text"/> (a title, a bucket key) holds a token the fingerprint masks.</summary>
    public static bool MasksPartOf(string text)
    {
        for (var i = 0; i < text.Length;)
        {
            if (!IsWordChar(text[i])) { i++; continue; }
            var from = i;
            while (i < text.Length && IsWordChar(text[i])) i++;
            if (IsMasked(text.AsSpan(from, i - from))) return true;
        }
        return false;
    }

    /// <summary>
    /// The start of the line holding the first marker. Found in the text as characters: the
    /// framework's vectorised multi-string search is 10× the byte-pair scan the receive thread
    /// uses per line (118 µs a 32 KiB dump, `StormFoldBenchmarks`).
    /// </summary>
    private static int FirstOpeningLine(ReadOnlySpan<byte> text)
    {
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetChars(text, chars);
            var marker = CrashTrigger.IndexOfMarker(chars.AsSpan(0, length));
            if (marker < 0) return -1;
            var lineStart = chars.AsSpan(0, marker).LastIndexOf('\n') + 1;
            return Ascii.IsValid(text) ? lineStart : Encoding.UTF8.GetByteCount(chars.AsSpan(0, lineStart));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>printk's <c>[    12.345678]</c>, and a caller id after it (<c>[ T123]</c>, <c>[  C1]</c>).</summary>
    private static ReadOnlySpan<byte> WithoutTimePrefix(ReadOnlySpan<byte> line)
    {
        for (var prefixes = 0; prefixes < 2 && line.Length > 0 && line[0] == (byte)'['; prefixes++)
        {
            var close = line.IndexOf((byte)']');
            if (close < 0) break;
            line = line[(close + 1)..].TrimStart((byte)' ');
        }
        return line;
    }

    private static void AppendMasked(ref XxHash3 hash, ReadOnlySpan<byte> line)
    {
        if (line.StartsWith(HardwareName))
        {
            hash.Append(line);
            hash.Append("\n"u8);
            return;
        }
        ReadOnlySpan<byte> mask = "#"u8;
        var plain = 0;
        for (var i = 0; i < line.Length;)
        {
            if (!IsWordChar((char)line[i])) { i++; continue; }
            var from = i;
            while (i < line.Length && IsWordChar((char)line[i])) i++;
            var token = line[from..i];
            if (!IsMasked(token)) continue;
            hash.Append(line[plain..from]);
            hash.Append(mask);
            plain = i;
        }
        hash.Append(line[plain..]);
        hash.Append("\n"u8);
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static bool IsMasked(ReadOnlySpan<byte> token) =>
        char.IsAsciiDigit((char)token[0]) || (token.Length >= 8 && token.IndexOfAnyExcept("0123456789abcdefABCDEF"u8) < 0);

    private static bool IsMasked(ReadOnlySpan<char> token) =>
        char.IsAsciiDigit(token[0]) || (token.Length >= 8 && token.IndexOfAnyExcept("0123456789abcdefABCDEF") < 0);
}
