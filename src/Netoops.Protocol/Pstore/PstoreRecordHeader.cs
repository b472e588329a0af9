using System.Globalization;

namespace Netoops.Protocol.Pstore;

/// <summary>
/// The first line of a pstore dmesg record: <c>&lt;Reason&gt;#&lt;count&gt; Part&lt;N&gt;</c>, e.g. <c>Oops#1 Part1</c>.
/// Part1 holds the newest text; a long log is split over Part1, Part2, … (older text in higher parts).
/// </summary>
/// <param name="Reason">The kmsg_dump reason as the kernel spells it: Oops, Panic, Emergency, Shutdown, Restart, Halt, Poweroff, Unknown.</param>
/// <param name="Count">How many dumps this backend has taken since boot (#1 for the first).</param>
public sealed record PstoreRecordHeader(string Reason, int Count, int Part)
{
    public bool IsCrash => Reason is "Oops" or "Panic";

    public override string ToString() => $"{Reason}#{Count} Part{Part}";

    /// <summary>
    /// Reads the header line at the start of <paramref name="record"/> and returns the log after it.
    /// A ramoops timestamp line <c>====&lt;sec&gt;.&lt;nsec&gt;-&lt;C|D&gt;</c> before it is skipped.
    /// </summary>
    public static bool TryParse(string record, out PstoreRecordHeader header, out string log)
    {
        header = null!;
        log = "";
        var rest = record.AsSpan();
        if (rest.StartsWith("===="))
            rest = NextLine(rest, out _);
        rest = NextLine(rest, out var line);

        var hash = line.IndexOf('#');
        var part = line.IndexOf(" Part", StringComparison.Ordinal);
        if (hash <= 0 || part < hash + 2 || !IsWord(line[..hash])
            || !int.TryParse(line[(hash + 1)..part], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || !int.TryParse(line[(part + 5)..], NumberStyles.None, CultureInfo.InvariantCulture, out var partNo))
            return false;
        header = new PstoreRecordHeader(line[..hash].ToString(), count, partNo);
        log = rest.ToString();
        return true;
    }

    private static ReadOnlySpan<char> NextLine(ReadOnlySpan<char> text, out ReadOnlySpan<char> line)
    {
        var newline = text.IndexOf('\n');
        line = newline < 0 ? text : text[..newline];
        return newline < 0 ? [] : text[(newline + 1)..];
    }

    private static bool IsWord(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (!char.IsAsciiLetter(c))
                return false;
        return !text.IsEmpty;
    }
}
