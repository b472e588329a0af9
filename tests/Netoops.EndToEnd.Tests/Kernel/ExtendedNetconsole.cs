using System.Globalization;
using System.Text;

namespace Netoops.EndToEnd.Tests.Kernel;

/// <summary>One kernel log record as an extended netconsole target sent it.</summary>
public sealed record ExtendedMessage(
    string? Release,
    int Level,
    ulong Sequence,
    ulong TimestampMicroseconds,
    string Text,
    IReadOnlyList<string> Dictionary)
{
    /// <summary>The record's lines as the serial console prints them (one per text line).</summary>
    public IEnumerable<string> ConsoleLines() =>
        Text.Split('\n').Select(line => ConsoleText.Format(TimestampMicroseconds, line));
}

/// <summary>Datagrams that were not extended netconsole messages, and why.</summary>
public sealed record RefusedDatagram(string Datagram, string Reason);

/// <summary>
/// A small, explicit reader of the extended netconsole format
/// ("[release,]level,seq,ts_usec,flags[,ncfrag=off/total][,...];text\n[ KEY=value\n]...")
/// so that the real-kernel test does not trust the code it is there to check. Fragments are
/// joined by sequence number; "\xNN" escapes are undone.
/// </summary>
public static class ExtendedNetconsole
{
    public static (IReadOnlyList<ExtendedMessage> Messages, IReadOnlyList<RefusedDatagram> Refused) Read(
        IEnumerable<string> datagrams)
    {
        var messages = new List<ExtendedMessage>();
        var refused = new List<RefusedDatagram>();
        var fragments = new Dictionary<ulong, SortedDictionary<int, string>>();
        foreach (var datagram in datagrams)
        {
            var separator = datagram.IndexOf(';');
            if (separator < 0)
            {
                refused.Add(new RefusedDatagram(datagram, "no ';' ends the header"));
                continue;
            }
            var header = Header.TryParse(datagram[..separator], out var reason);
            if (header is null)
            {
                refused.Add(new RefusedDatagram(datagram, reason));
                continue;
            }
            var body = datagram[(separator + 1)..];
            if (header.Fragment is not (var offset, var total))
            {
                messages.Add(Message(header, body));
                continue;
            }
            var parts = fragments.TryGetValue(header.Sequence, out var known) ? known : fragments[header.Sequence] = new();
            parts[offset] = body;
            if (parts.Values.Sum(part => Encoding.UTF8.GetByteCount(part)) >= total)
            {
                messages.Add(Message(header, string.Concat(parts.Values)));
                fragments.Remove(header.Sequence);
            }
        }
        foreach (var (sequence, parts) in fragments)
            refused.Add(new RefusedDatagram(string.Concat(parts.Values), $"message {sequence} is missing fragments"));
        return (messages.OrderBy(message => message.Sequence).ToList(), refused);
    }

    private static ExtendedMessage Message(Header header, string body)
    {
        var lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var dictionary = lines.Skip(1).Where(line => line.StartsWith(' ')).Select(line => Unescape(line[1..])).ToList();
        return new ExtendedMessage(header.Release, header.Level, header.Sequence, header.TimestampMicroseconds,
            Unescape(lines.Length > 0 ? lines[0] : ""), dictionary);
    }

    /// <summary>The kernel writes non-printable bytes (and the backslash itself) as \xNN.</summary>
    public static string Unescape(string text)
    {
        if (!text.Contains("\\x", StringComparison.Ordinal))
            return text;
        var bytes = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 3 < text.Length && text[i + 1] == 'x'
                && byte.TryParse(text.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            {
                bytes.Add(value);
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private sealed record Header(string? Release, int Level, ulong Sequence, ulong TimestampMicroseconds, (int, int)? Fragment)
    {
        public static Header? TryParse(string text, out string reason)
        {
            var fields = text.Split(',');
            string? release = null;
            if (fields.Length > 0 && !fields[0].All(char.IsAsciiDigit))
            {
                release = fields[0];
                fields = fields[1..];
            }
            if (fields.Length < 4
                || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var level)
                || !ulong.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
                || !ulong.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
            {
                reason = $"header '{text}' is not level,seq,ts_usec,flags";
                return null;
            }
            (int, int)? fragment = null;
            foreach (var field in fields[4..])
            {
                if (!field.StartsWith("ncfrag=", StringComparison.Ordinal))
                    continue;
                var numbers = field["ncfrag=".Length..].Split('/');
                if (numbers.Length != 2 || !int.TryParse(numbers[0], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                    || !int.TryParse(numbers[1], NumberStyles.None, CultureInfo.InvariantCulture, out var total)
                    || offset < 0 || total <= offset)
                {
                    reason = $"fragment field '{field}' is not ncfrag=<offset>/<total>";
                    return null;
                }
                fragment = (offset, total);
            }
            reason = "";
            return new Header(release, level, sequence, timestamp, fragment);
        }
    }
}
