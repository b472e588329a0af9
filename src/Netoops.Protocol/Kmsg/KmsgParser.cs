using System.Text;

namespace Netoops.Protocol.Kmsg;

/// <summary>Reads one <c>/dev/kmsg</c> record (one read() returns exactly one).</summary>
public static class KmsgParser
{
    /// <summary>A read() from /dev/kmsg needs at least this much room, or it fails with EINVAL.</summary>
    public const int MinimumReadBuffer = 8192;

    public static RecordError TryParse(ReadOnlySpan<byte> record, out KmsgRecord parsed)
    {
        parsed = null!;
        if (record.IsEmpty)
            return RecordError.Empty;
        var semicolon = record.IndexOf((byte)';');
        if (semicolon < 0)
            return RecordError.MissingSemicolon;
        var error = RecordSyntax.ParseHeader(record[..semicolon], out var header);
        if (error != RecordError.None)
            return error;
        error = RecordSyntax.ParseBody(record[(semicolon + 1)..], out var text, out var dictionary);
        if (error != RecordError.None)
            return error;
        parsed = new KmsgRecord(header.Priority, header.Sequence, header.TimestampMicros, header.Continuation, header.Caller, text, dictionary);
        return RecordError.None;
    }

    public static RecordError TryParse(string record, out KmsgRecord parsed) => TryParse(Encoding.UTF8.GetBytes(record), out parsed);

    /// <summary>The record as /dev/kmsg spells it: header, ';', escaped text, '\n', dictionary lines.</summary>
    public static byte[] Format(KmsgRecord record)
    {
        var output = new List<byte>(record.Text.Length + 32);
        output.AddRange(Encoding.ASCII.GetBytes(record.Header()));
        output.Add((byte)';');
        AppendBody(output, record.Text, record.Dictionary);
        return [.. output];
    }

    internal static void AppendBody(List<byte> output, string text, IEnumerable<KeyValuePair<string, string>> dictionary)
    {
        RecordSyntax.AppendEscaped(output, text);
        output.Add((byte)'\n');
        foreach (var (key, value) in dictionary)
        {
            output.Add((byte)' ');
            // Keys are escaped too: a hostile key must not be able to start a line of its own.
            RecordSyntax.AppendEscaped(output, key);
            output.Add((byte)'=');
            RecordSyntax.AppendEscaped(output, value);
            output.Add((byte)'\n');
        }
    }
}
