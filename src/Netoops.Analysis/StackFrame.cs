namespace Netoops.Analysis;

/// <summary>One entry of a kernel stack trace: <c>tcp_v4_rcv+0x1b/0x3c0 [ipv4]</c>.</summary>
/// <param name="Function">The symbol, with compiler suffixes such as <c>.cold</c> or <c>.isra.7</c> removed.</param>
/// <param name="Offset">Offset into the function, when printed.</param>
/// <param name="Size">Size of the function, when printed.</param>
/// <param name="Module">The module in brackets, when the function lives in one.</param>
/// <param name="Inline">A symbolized frame the compiler inlined into the next one.</param>
public sealed record StackFrame(string Function, ulong? Offset, ulong? Size, string? Module, bool Inline)
{
    /// <summary>
    /// Reads a stack line: optional spaces, up to two <c>[&lt;pc&gt;]</c> or <c>[pc]</c> addresses,
    /// then <c>func+0xoff/0xsize</c>, <c>func.cold+...</c> or a symbolized <c>func file.c:12 [inline]</c>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> line, out StackFrame frame)
    {
        frame = null!;
        int i = 0;
        while (i < line.Length && (line[i] == ' ' || line[i] == '\t'))
            i++;
        for (int pcs = 0; pcs < 2 && i < line.Length && line[i] == '['; pcs++)
        {
            int close = line[i..].IndexOf(']');
            if (close < 0 || !IsAddress(line.Slice(i + 1, close - 1)))
                return false;
            i += close + 1;
            while (i < line.Length && (line[i] == ' ' || line[i] == '\t'))
                i++;
        }
        // ppc64 ELFv1 dot symbols (".func+0x1/0x2") are the function's code entry: the same function.
        if (i + 1 < line.Length && line[i] == '.' && IsSymbolChar(line[i + 1]))
            i++;
        int start = i;
        while (i < line.Length && IsSymbolChar(line[i]))
            i++;
        if (i == start || i >= line.Length)
            return false;
        var name = line[start..i];
        char next = line[i];
        if (next == '.')
        {
            // ".cold", ".isra.0", ".constprop.3": keep reading the suffix, it must end in "+0x".
            int suffixEnd = i;
            while (suffixEnd < line.Length && (IsSymbolChar(line[suffixEnd]) || line[suffixEnd] == '.'))
                suffixEnd++;
            if (suffixEnd >= line.Length || line[suffixEnd] != '+')
                return TryInline(line, name, suffixEnd, out frame);
            i = suffixEnd;
            next = '+';
        }
        if (next == '+')
            return TryOffsets(line, name, i + 1, out frame);
        return TryInline(line, name, i, out frame);
    }

    /// <summary>
    /// The function names one stack line shows, in call order: one for x86/arm64 lines, two for the
    /// arm <c>[&lt;pc&gt;] (callee) from [&lt;pc&gt;] (caller+0x1/0x2)</c> form.
    /// </summary>
    public static int ReadFunctions(ReadOnlySpan<char> line, List<string> into)
    {
        if (TryParseArm(line, into, out int count))
            return count;
        if (!TryParse(line, out var frame))
            return 0;
        into.Add(frame.Function);
        return 1;
    }

    private static bool TryParseArm(ReadOnlySpan<char> line, List<string> into, out int count)
    {
        count = 0;
        int from = line.IndexOf(") from [", StringComparison.Ordinal);
        if (from < 0)
            return false;
        int open = line[..from].LastIndexOf('(');
        if (open < 0 || !TryArmName(line[(open + 1)..from], out var callee))
            return false;
        into.Add(callee);
        count = 1;
        var rest = line[(from + 7)..];
        int open2 = rest.IndexOf('(');
        int close2 = open2 < 0 ? -1 : rest[open2..].IndexOf(')');
        if (close2 > 1 && TryArmName(rest.Slice(open2 + 1, close2 - 1), out var caller))
        {
            into.Add(caller);
            count = 2;
        }
        return true;
    }

    // "show_stack", "show_stack+0x18/0x1c", "nfs_wait_client_init_complete.part.3", "__dump_stack lib/x.c:88 [inline]".
    private static bool TryArmName(ReadOnlySpan<char> text, out string name)
    {
        int end = 0;
        while (end < text.Length && IsSymbolChar(text[end]))
            end++;
        name = text[..end].ToString();
        return end > 0 && (end == text.Length || text[end] is '+' or '.' or ' ');
    }

    private static bool TryOffsets(ReadOnlySpan<char> line, ReadOnlySpan<char> name, int i, out StackFrame frame)
    {
        frame = null!;
        if (!TryHex(line, ref i, out var offset))
            return false;
        ulong? size = null;
        if (i < line.Length && line[i] == '/')
        {
            i++;
            if (!TryHex(line, ref i, out var s))
                return false;
            size = s;
        }
        string? module = null;
        var rest = line[i..].TrimStart();
        if (rest.Length > 2 && rest[0] == '[')
        {
            int close = rest.IndexOf(']');
            if (close > 1 && IsModuleName(rest[1..close]))
                module = rest[1..close].ToString();
        }
        frame = new StackFrame(name.ToString(), offset, size, module, false);
        return true;
    }

    // A symbolized inline frame: "__dump_stack lib/dump_stack.c:77 [inline]".
    private static bool TryInline(ReadOnlySpan<char> line, ReadOnlySpan<char> name, int i, out StackFrame frame)
    {
        frame = null!;
        var rest = line[i..];
        if (!rest.EndsWith(" [inline]", StringComparison.Ordinal) || rest.Length < 2 || rest[0] != ' ')
            return false;
        frame = new StackFrame(name.ToString(), null, null, null, true);
        return true;
    }

    private static bool TryHex(ReadOnlySpan<char> line, ref int i, out ulong value)
    {
        value = 0;
        if (i + 2 > line.Length || line[i] != '0' || line[i + 1] != 'x')
            return false;
        i += 2;
        int start = i;
        while (i < line.Length && char.IsAsciiHexDigit(line[i]) && i - start < 16)
        {
            value = value * 16 + HexValue(line[i]);
            i++;
        }
        return i > start;
    }

    private static bool IsAddress(ReadOnlySpan<char> text)
    {
        text = text.Trim('<').Trim('>');
        if (text.StartsWith("0x", StringComparison.Ordinal))
            text = text[2..];
        if (text.Length == 0)
            return false;
        foreach (var c in text)
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
                return false;
        return true;
    }

    private static bool IsModuleName(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (!IsSymbolChar(c) && c != '-')
                return false;
        return true;
    }

    private static ulong HexValue(char c) => (ulong)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);

    internal static bool IsSymbolChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
