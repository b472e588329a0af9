using System.Text;
using Netoops.Protocol.Kmsg;

namespace Netoops.Protocol.Netconsole;

/// <summary>
/// Writes a printk record in the extended netconsole format, as mainline does: optional
/// <c>&lt;release&gt;,</c> prefix, the kmsg header, escaped text, the record's own dictionary, then
/// userdata and sysdata lines. A message over 1000 bytes goes out as fragments
/// <c>&lt;header&gt;,ncfrag=&lt;offset&gt;/&lt;total&gt;;&lt;piece&gt;</c> where total counts the body
/// after ';' plus userdata plus sysdata.
/// </summary>
public static class ExtendedWriter
{
    public static IReadOnlyList<byte[]> Write(
        KmsgRecord record,
        string? release = null,
        IReadOnlyList<KeyValuePair<string, string>>? userdata = null,
        IReadOnlyList<KeyValuePair<string, string>>? sysdata = null)
    {
        var prefix = release is null ? "" : release + ",";
        var header = Encoding.ASCII.GetBytes(prefix + record.Header());
        var body = new List<byte>(record.Text.Length + 64);
        KmsgParser.AppendBody(body, record.Text, [.. record.Dictionary, .. userdata ?? [], .. sysdata ?? []]);

        if (header.Length + 1 + body.Count <= NetconsoleBasic.MaxChunk)
            return [[.. header, (byte)';', .. body]];
        return Fragments(header, [.. body]);
    }

    private static List<byte[]> Fragments(byte[] header, byte[] body)
    {
        var fragments = new List<byte[]>();
        for (var offset = 0; offset < body.Length;)
        {
            var fragmentHeader = Encoding.ASCII.GetBytes($",ncfrag={offset}/{body.Length};");
            var room = NetconsoleBasic.MaxChunk - header.Length - fragmentHeader.Length;
            if (room <= 0)
                throw new ArgumentException("the record header leaves no room for text in a 1000-byte datagram");
            var piece = Math.Min(room, body.Length - offset);
            fragments.Add([.. header, .. fragmentHeader, .. body.AsSpan(offset, piece)]);
            offset += piece;
        }
        return fragments;
    }
}
