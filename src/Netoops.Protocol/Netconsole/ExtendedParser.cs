using System.Text;
using Netoops.Protocol.Kmsg;

namespace Netoops.Protocol.Netconsole;

/// <summary>
/// Reads extended netconsole datagrams:
/// <c>[&lt;release&gt;,]&lt;level&gt;,&lt;seq&gt;,&lt;ts_usec&gt;,&lt;flags&gt;[,caller=..][,ncfrag=o/t];&lt;text&gt;\n</c> + ` KEY=value` lines.
/// </summary>
public static class ExtendedParser
{
    /// <summary>Splits a datagram into header fields and payload, without reading the payload.</summary>
    public static RecordError TryParseDatagram(ReadOnlyMemory<byte> datagram, out ExtendedDatagram parsed)
    {
        parsed = null!;
        var bytes = datagram.Span;
        if (bytes.IsEmpty)
            return RecordError.Empty;
        var semicolon = bytes.IndexOf((byte)';');
        if (semicolon < 0)
            return RecordError.MissingSemicolon;

        // The release, when prepended, is the one leading field that is not a number ("6.1.0-56-cloud-amd64").
        var header = bytes[..semicolon];
        string? release = null;
        var comma = header.IndexOf((byte)',');
        if (comma > 0 && !RecordSyntax.TryDecimal(header[..comma], out _))
        {
            release = Encoding.ASCII.GetString(header[..comma]);
            header = header[(comma + 1)..];
        }

        var error = RecordSyntax.ParseHeader(header, out var fields);
        if (error != RecordError.None)
            return error;
        FragmentPosition? fragment = fields.IsFragment ? new FragmentPosition(fields.FragmentOffset, fields.FragmentTotal) : null;
        var payload = datagram[(semicolon + 1)..];
        if (fragment is { } f && f.Offset + payload.Length > f.Total)
            return RecordError.BadFragment;
        parsed = new ExtendedDatagram(release, fields.Priority, fields.Sequence, fields.TimestampMicros,
            fields.Continuation, fields.Caller, fragment, payload);
        return RecordError.None;
    }

    /// <summary>Parses a datagram that must be a whole message (not a fragment).</summary>
    public static RecordError TryParse(ReadOnlyMemory<byte> datagram, out ExtendedMessage message)
    {
        message = null!;
        var error = TryParseDatagram(datagram, out var parsed);
        if (error != RecordError.None)
            return error;
        if (parsed.Fragment is not null)
            return RecordError.BadFragment;
        return ToMessage(parsed, parsed.Payload.Span, out message);
    }

    /// <summary>Reads a complete payload (one datagram's, or a reassembled message's) into a message.</summary>
    internal static RecordError ToMessage(ExtendedDatagram header, ReadOnlySpan<byte> payload, out ExtendedMessage message)
    {
        RecordSyntax.ParseBodyLeniently(payload, out var text, out var dictionary, out var oddLines);
        var record = new KmsgRecord(header.Priority, header.Sequence, header.TimestampMicros, header.Continuation,
            header.Caller, text, dictionary);
        message = new ExtendedMessage(header.Release, record, oddLines);
        return RecordError.None;
    }
}
