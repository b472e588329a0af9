namespace Netoops.Analysis;

/// <summary>
/// The prefix a syslog daemon or the journal puts before each message of a log file:
/// <list type="bullet">
/// <item>RFC 3164, as rsyslog and sysklogd write it and <c>journalctl -o short[-precise]</c> prints it:
/// <c>Dec  7 23:50:01[.123456] host ident[pid]: </c>;</item>
/// <item>RFC 3339 stamps (rsyslog's high-precision template, <c>journalctl -o short-iso</c>):
/// <c>2026-12-07T23:50:01.123456+00:00 host ident: </c>;</item>
/// <item>busybox syslogd adds the facility and level: <c>Dec  7 23:50:01 host kern.warn kernel: </c>.</item>
/// </list>
/// Only the ident <c>kernel</c> marks kernel text (klogd and journald both use it); every other
/// ident is a program's own line.
/// </summary>
internal static class SyslogPrefix
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>Where the message starts (0 when the line has no syslog prefix).</summary>
    public static int Skip(ReadOnlySpan<char> line, out bool userSpace)
    {
        userSpace = false;
        int pos = SkipStamp(line);
        if (pos == 0)
            return 0;
        int hostEnd = Token(line, pos);
        if (hostEnd == pos || hostEnd >= line.Length)
            return 0;
        pos = hostEnd + 1;
        int next = Token(line, pos);
        if (IsFacilityLevel(line[pos..next]) && next < line.Length)
            pos = next + 1;

        int identEnd = pos;
        while (identEnd < line.Length && line[identEnd] is not (':' or '[' or ' '))
            identEnd++;
        if (identEnd == pos || identEnd >= line.Length)
            return 0;
        var ident = line[pos..identEnd];
        int colon = identEnd;
        if (line[colon] == '[')
        {
            int close = line[colon..].IndexOf(']');
            if (close < 0)
                return 0;
            colon += close + 1;
        }
        if (colon >= line.Length || line[colon] != ':')
            return 0;
        int message = colon + 1;
        if (message < line.Length && line[message] == ' ')
            message++;
        userSpace = !ident.SequenceEqual("kernel");
        return message;
    }

    // "Dec  7 23:50:01" or "Dec 07 23:50:01.123456", or "2026-12-07T23:50:01[.123][Z|+00:00]"; then one space.
    private static int SkipStamp(ReadOnlySpan<char> line)
    {
        int pos;
        if (line.Length > 16 && IsMonth(line[..3]) && line[3] == ' ' &&
            (line[4] == ' ' || char.IsAsciiDigit(line[4])) && char.IsAsciiDigit(line[5]) && line[6] == ' ' && IsClock(line, 7))
            pos = 15;
        else if (line.Length > 20 && IsDigits(line[..4]) && line[4] == '-' && IsDigits(line.Slice(5, 2)) && line[7] == '-' &&
                 IsDigits(line.Slice(8, 2)) && line[10] == 'T' && IsClock(line, 11))
        {
            pos = 19;
            pos = SkipFraction(line, pos);
            if (pos < line.Length && line[pos] == 'Z')
                pos++;
            else if (pos + 6 <= line.Length && line[pos] is '+' or '-' && IsDigits(line.Slice(pos + 1, 2)) && line[pos + 3] == ':')
                pos += 6;
            return pos < line.Length && line[pos] == ' ' ? pos + 1 : 0;
        }
        else
            return 0;
        pos = SkipFraction(line, pos);
        return pos < line.Length && line[pos] == ' ' ? pos + 1 : 0;
    }

    private static int SkipFraction(ReadOnlySpan<char> line, int pos)
    {
        if (pos >= line.Length || line[pos] != '.')
            return pos;
        int i = pos + 1;
        while (i < line.Length && char.IsAsciiDigit(line[i]))
            i++;
        return i > pos + 1 ? i : pos;
    }

    private static bool IsClock(ReadOnlySpan<char> line, int at) =>
        line.Length >= at + 8 && IsDigits(line.Slice(at, 2)) && line[at + 2] == ':' &&
        IsDigits(line.Slice(at + 3, 2)) && line[at + 5] == ':' && IsDigits(line.Slice(at + 6, 2));

    private static bool IsMonth(ReadOnlySpan<char> text)
    {
        foreach (var month in Months)
            if (text.SequenceEqual(month))
                return true;
        return false;
    }

    private static bool IsDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (!char.IsAsciiDigit(c))
                return false;
        return true;
    }

    private static int Token(ReadOnlySpan<char> line, int from)
    {
        int i = from;
        while (i < line.Length && line[i] != ' ')
            i++;
        return i;
    }

    // busybox: "kern.warn", "user.notice", "daemon.err", "local0.info".
    private static bool IsFacilityLevel(ReadOnlySpan<char> token)
    {
        int dot = token.IndexOf('.');
        if (dot <= 0 || dot == token.Length - 1)
            return false;
        foreach (var c in token)
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '.'))
                return false;
        return true;
    }
}
