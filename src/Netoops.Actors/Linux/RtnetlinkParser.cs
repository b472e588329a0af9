using System.Buffers.Binary;
using System.Net.NetworkInformation;
using System.Text;

namespace Netoops.Actors.Linux;

/// <summary>One RTM_NEWLINK / RTM_DELLINK, reduced to what the notifier needs.</summary>
public sealed record LinkMessage(bool Deleted, int Index, string? Name, PhysicalAddress? Mac, int Master, bool Up, uint Sequence);

/// <summary>
/// Pure parser for rtnetlink link messages (netlink header, ifinfomsg, rtattrs). Malformed or
/// truncated input ends the parse quietly and is counted; it never throws.
/// </summary>
public static class RtnetlinkParser
{
    public const ushort NlmsgError = 2;
    public const ushort NlmsgDone = 3;
    public const ushort RtmNewLink = 16;
    public const ushort RtmDelLink = 17;
    public const ushort RtmGetLink = 18;
    private const int HeaderSize = 16;
    private const int IfInfoSize = 16;
    private const ushort IflaAddress = 1;
    private const ushort IflaIfName = 3;
    private const ushort IflaMaster = 10;
    private const uint IffUp = 0x1;
    private const uint IffRunning = 0x40;

    /// <summary>
    /// What one datagram from the socket held. <see cref="Done"/>: a dump ended, cut short by an
    /// error when <see cref="Failed"/> (then it may not list every link).
    /// </summary>
    public sealed record Batch(IReadOnlyList<LinkMessage> Links, bool Done, int Malformed, bool Failed = false);

    public static Batch Parse(ReadOnlySpan<byte> buffer)
    {
        var links = new List<LinkMessage>();
        var done = false;
        var failed = false;
        var malformed = 0;
        while (buffer.Length >= HeaderSize)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(buffer);
            var type = BinaryPrimitives.ReadUInt16LittleEndian(buffer[4..]);
            var sequence = BinaryPrimitives.ReadUInt32LittleEndian(buffer[8..]);
            if (length < HeaderSize || length > buffer.Length)
            {
                malformed++;
                break;
            }
            var body = buffer[HeaderSize..(int)length];
            if (type is NlmsgDone or NlmsgError)
            {
                done = true;
                failed |= type == NlmsgError;
            }
            else if (type is RtmNewLink or RtmDelLink)
            {
                var link = ParseLink(body, type == RtmDelLink, sequence);
                if (link is null) malformed++;
                else links.Add(link);
            }
            buffer = buffer[Math.Min(buffer.Length, Align((int)length))..];
        }
        return new Batch(links, done, malformed, failed);
    }

    /// <summary>An RTM_GETLINK dump request for every link (AF_UNSPEC).</summary>
    public static byte[] DumpRequest(uint sequence)
    {
        var request = new byte[HeaderSize + IfInfoSize];
        BinaryPrimitives.WriteUInt32LittleEndian(request, (uint)request.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(4), RtmGetLink);
        BinaryPrimitives.WriteUInt16LittleEndian(request.AsSpan(6), 0x1 | 0x300); // NLM_F_REQUEST | NLM_F_DUMP
        BinaryPrimitives.WriteUInt32LittleEndian(request.AsSpan(8), sequence);
        return request;
    }

    private static LinkMessage? ParseLink(ReadOnlySpan<byte> body, bool deleted, uint sequence)
    {
        if (body.Length < IfInfoSize) return null;
        var index = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(body[8..]);
        string? name = null;
        PhysicalAddress? mac = null;
        var master = 0;
        var attrs = body[IfInfoSize..];
        while (attrs.Length >= 4)
        {
            var len = BinaryPrimitives.ReadUInt16LittleEndian(attrs);
            var type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(attrs[2..]) & 0x3fff); // drop NLA_F_NESTED/NET_BYTEORDER
            if (len < 4 || len > attrs.Length) return null;
            var payload = attrs[4..len];
            switch (type)
            {
                case IflaIfName:
                    var end = payload.IndexOf((byte)0);
                    name = Encoding.ASCII.GetString(end < 0 ? payload : payload[..end]);
                    break;
                case IflaAddress:
                    mac = new PhysicalAddress(payload.ToArray());
                    break;
                case IflaMaster when payload.Length >= 4:
                    master = BinaryPrimitives.ReadInt32LittleEndian(payload);
                    break;
            }
            attrs = attrs[Math.Min(attrs.Length, Align(len))..];
        }
        var up = (flags & IffUp) != 0 && (flags & IffRunning) != 0;
        return new LinkMessage(deleted, index, name, mac, master, up, sequence);
    }

    private static int Align(int length) => (length + 3) & ~3;
}
