namespace Netoops.Analysis;

/// <summary>
/// One console line with its printk decorations taken off: the optional syslog level
/// (<c>&lt;6&gt;</c>), the timestamp (<c>[  12.345678]</c>) and the caller tag
/// (<c>[ T123]</c> task or <c>[ C1]</c> CPU, printed with CONFIG_PRINTK_CALLER). A syslog stream's
/// prefix (<c>Dec  7 23:50:01 host kernel: </c>, RFC 3339 <c>2026-12-07T23:50:01+00:00 host kernel: </c>,
/// busybox's <c>host kern.warn kernel: </c>) comes off too; a line another program logged there
/// (<c>host cron[123]: …</c>) is kept as user-space text that never opens a report.
/// </summary>
/// <param name="Text">The message text the kernel printed.</param>
/// <param name="Context">Who printed it: <c>""</c> for an undecorated line, <c>"console"</c> for a
/// timestamped line without caller, else the caller tag (<c>T123</c>, <c>C1</c>). Lines of one
/// report share a context, which is how interleaved output from other CPUs is told apart.</param>
/// <param name="Questionable">A <c>? func+0x1/0x2</c> stack entry the unwinder was not sure of.</param>
/// <param name="Seconds">The printk timestamp, when the line had one.</param>
public readonly record struct ConsoleLine(string Text, string Context, bool Questionable, double? Seconds)
{
    public const string ConsoleContext = "console";

    /// <summary>The context of a line a user-space program wrote to the same syslog stream.</summary>
    public const string UserSpaceContext = "user";

    public bool IsUserSpace => ReferenceEquals(Context, UserSpaceContext);

    public bool IsTaskContext => Context.Length > 1 && Context[0] == 'T';
    public bool IsCpuContext => Context.Length > 1 && Context[0] == 'C';

    /// <summary>Strips the decorations of one raw line. Never throws, whatever the bytes.</summary>
    public static ConsoleLine Parse(string raw)
    {
        var line = raw.AsSpan().TrimEnd('\r');
        int pos = SyslogPrefix.Skip(line, out var userSpace);
        if (userSpace)
            return new ConsoleLine(line[pos..].ToString(), UserSpaceContext, false, null);
        pos = SkipDroppedNotice(line, pos);
        pos = SkipLoginPrompt(line, pos);
        pos = SkipLevel(line, pos);
        string context = "";
        double? seconds = null;
        if (TryReadTimestamp(line, pos, out var afterStamp, out var stamp))
        {
            pos = afterStamp;
            seconds = stamp;
            context = ConsoleContext;
            if (TryReadCaller(line, pos, out var afterCaller, out var caller))
            {
                context = caller;
                pos = afterCaller;
            }
            if (pos < line.Length && line[pos] == ' ')
                pos++;
        }
        var text = line[pos..];
        bool questionable = false;
        if (!text.Contains("<EOI>", StringComparison.Ordinal) && TryStripQuestionable(text, out var frame))
        {
            text = frame;
            questionable = true;
        }
        else if (text.EndsWith(" (unreliable)", StringComparison.Ordinal))
        {
            // powerpc marks the unwinder's guesses at the end of the line instead.
            text = text[..^13];
            questionable = true;
        }
        return new ConsoleLine(text.ToString(), context, questionable, seconds);
    }

    // "** 12 printk messages dropped ** " can glue itself in front of a line.
    private static int SkipDroppedNotice(ReadOnlySpan<char> line, int pos)
    {
        if (!line[pos..].StartsWith("** ", StringComparison.Ordinal))
            return pos;
        int end = line[(pos + 3)..].IndexOf(" ** ", StringComparison.Ordinal);
        return end < 0 ? pos : pos + 3 + end + 4;
    }

    // A getty prompt ("syzkaller login: [  12.3] ...") can precede a kernel line.
    private static int SkipLoginPrompt(ReadOnlySpan<char> line, int pos)
    {
        int at = line[pos..].IndexOf(" login: ", StringComparison.Ordinal);
        if (at < 0 || at > 64)
            return pos;
        int after = pos + at + 8;
        return after < line.Length && (line[after] == '[' || line[after] == '<') ? after : pos;
    }

    private static int SkipLevel(ReadOnlySpan<char> line, int pos)
    {
        if (pos >= line.Length || line[pos] != '<')
            return pos;
        int i = pos + 1;
        while (i < line.Length && i - pos < 5 && char.IsAsciiDigit(line[i]))
            i++;
        return i > pos + 1 && i < line.Length && line[i] == '>' ? i + 1 : pos;
    }

    private static bool TryReadTimestamp(ReadOnlySpan<char> line, int pos, out int after, out double seconds)
    {
        after = pos;
        seconds = 0;
        if (pos >= line.Length || line[pos] != '[')
            return false;
        int i = pos + 1;
        while (i < line.Length && line[i] == ' ')
            i++;
        int digits = i;
        while (i < line.Length && char.IsAsciiDigit(line[i]))
            i++;
        if (i == digits || i >= line.Length || line[i] != '.')
            return false;
        i++;
        int fraction = i;
        while (i < line.Length && char.IsAsciiDigit(line[i]))
            i++;
        if (i == fraction || i >= line.Length || line[i] != ']')
            return false;
        double.TryParse(line[digits..i], System.Globalization.NumberStyles.Float,
            System.Globalization.CultureInfo.InvariantCulture, out seconds);
        after = i + 1;
        return true;
    }

    private static bool TryReadCaller(ReadOnlySpan<char> line, int pos, out int after, out string caller)
    {
        after = pos;
        caller = "";
        if (pos >= line.Length || line[pos] != '[')
            return false;
        int i = pos + 1;
        while (i < line.Length && line[i] == ' ')
            i++;
        if (i >= line.Length || (line[i] != 'T' && line[i] != 'C'))
            return false;
        int start = i++;
        int digits = i;
        while (i < line.Length && char.IsAsciiDigit(line[i]))
            i++;
        if (i == digits || i >= line.Length || line[i] != ']')
            return false;
        caller = line[start..i].ToString();
        after = i + 1;
        return true;
    }

    // " ? func+0x10/0x20" and " [<ffffffff81000000>] ? func+0x10/0x20": the unwinder's guesses.
    private static bool TryStripQuestionable(ReadOnlySpan<char> text, out ReadOnlySpan<char> frame)
    {
        frame = text;
        int i = 0;
        while (i < text.Length && text[i] == ' ')
            i++;
        if (i < text.Length && text[i] == '[')
        {
            int close = text[i..].IndexOf(']');
            if (close < 0)
                return false;
            i += close + 1;
            if (i >= text.Length || text[i] != ' ')
                return false;
            i++;
        }
        else if (i == 0)
            return false;
        if (i + 1 >= text.Length || text[i] != '?' || text[i + 1] != ' ')
            return false;
        frame = text[(i + 2)..];
        return true;
    }
}
