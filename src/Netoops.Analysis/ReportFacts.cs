using System.Globalization;

namespace Netoops.Analysis;

/// <summary>Reads the lines that carry structure: registers, the task line, taint, release, hardware, modules.</summary>
internal static class ReportFacts
{
    public static Registers? ReadRegisters(IReadOnlyList<string> lines)
    {
        RegisterBlock? first = null, current = null;
        foreach (var line in lines)
        {
            var text = line.AsSpan().TrimStart();
            if (text.StartsWith("RIP: ") || text.StartsWith("EIP: "))
            {
                // A new block; keep the first kernel one (user-mode blocks follow syscall stacks).
                if (current != null && !current.IsUser)
                    break;
                current = new RegisterBlock { Is32Bit = text[0] == 'E' };
                first ??= current;
                current.ReadInstructionPointer(text[5..]);
                continue;
            }
            if (current == null)
                continue;
            if (text.StartsWith("EIP is at "))
                current.Function ??= text[10..].ToString();
            else if (!current.ReadPairs(text))
                continue;
        }
        var chosen = current != null && !current.IsUser ? current : first;
        return chosen?.ToRegisters();
    }

    public static TaskContext? ReadTask(IReadOnlyList<string> lines, out KernelInfo? kernel)
    {
        kernel = null;
        foreach (var line in lines)
        {
            int at = line.IndexOf("CPU: ", StringComparison.Ordinal);
            if (at < 0)
                continue;
            int pidAt = line.IndexOf(" PID: ", at, StringComparison.Ordinal);
            int commAt = line.IndexOf(" Comm: ", at, StringComparison.Ordinal);
            if (pidAt < 0 || commAt < 0 || commAt < pidAt)
                continue;
            int cpu = LeadingInt(line.AsSpan(at + 5));
            int pid = LeadingInt(line.AsSpan(pidAt + 6));
            int uidAt = line.IndexOf(" UID: ", at, StringComparison.Ordinal);
            int? uid = uidAt > 0 && uidAt < pidAt ? LeadingInt(line.AsSpan(uidAt + 6)) : null;
            var rest = line[(commAt + 7)..];
            string comm = rest, taint = "", tail = "";
            int notTainted = rest.IndexOf(" Not tainted", StringComparison.Ordinal);
            int tainted = rest.IndexOf(" Tainted: ", StringComparison.Ordinal);
            if (notTainted >= 0 && (tainted < 0 || notTainted < tainted))
            {
                comm = rest[..notTainted];
                tail = rest[(notTainted + 12)..];
            }
            else if (tainted >= 0)
            {
                comm = rest[..tainted];
                (taint, tail) = SplitTaint(rest[(tainted + 10)..]);
            }
            var (release, build) = SplitRelease(tail);
            kernel = new KernelInfo(release, build, taint, []);
            return new TaskContext(cpu, pid, uid, comm.Trim());
        }
        return null;
    }

    // "G        W  OE      6.1.0-56-cloud-amd64 #1 Debian": taint letters are single capitals.
    private static (string Taint, string Tail) SplitTaint(string text)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        int i = 0;
        var flags = new List<string>();
        while (i < parts.Length && parts[i].All(char.IsAsciiLetterUpper) && parts[i].Length <= 20 && !parts[i].Any(char.IsAsciiDigit))
            flags.Add(parts[i++]);
        return (string.Join(' ', flags), string.Join(' ', parts[i..]));
    }

    private static (string? Release, string? Build) SplitRelease(string tail)
    {
        tail = tail.Trim();
        if (tail.Length == 0)
            return (null, null);
        int space = tail.IndexOf(' ');
        return space < 0 ? (tail, null) : (tail[..space], tail[(space + 1)..].Trim());
    }

    /// <summary><c>Linux version 6.1.0 (builder@host) ...</c>: the release when no task line names it.</summary>
    // The lines that name the faulting instruction on each architecture (arch/*/kernel/process.c show_regs).
    private static readonly string[] FaultMarkers = ["RIP: ", "EIP is at ", "IP: [<", "PC is at ", "pc : ", "NIP [", "epc : ", "Krnl PSW"];

    /// <summary>The function a register line names as the faulting instruction (<c>RIP: 0010:f+0x1/0x2</c>), if any.</summary>
    public static string? FaultingFunction(string line)
    {
        foreach (var marker in FaultMarkers)
        {
            int at = line.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0)
                continue;
            int plus = line.IndexOf("+0x", at + marker.Length, StringComparison.Ordinal);
            if (plus < 0)
                return null;
            int start = plus;
            while (start > at + marker.Length && (char.IsAsciiLetterOrDigit(line[start - 1]) || line[start - 1] is '_' or '.'))
                start--;
            var symbol = line.AsSpan(start, plus - start).TrimStart('.');
            int dot = symbol.IndexOf('.');
            if (dot > 0)
                symbol = symbol[..dot]; // ".cold", ".isra.0": the same function
            return symbol.IsEmpty ? null : symbol.ToString();
        }
        return null;
    }

    public static string? ReadLinuxVersion(IReadOnlyList<string> lines)
    {
        foreach (var line in lines)
        {
            int at = line.IndexOf("Linux version ", StringComparison.Ordinal);
            if (at < 0)
                continue;
            var rest = line.AsSpan(at + 14);
            int space = rest.IndexOf(' ');
            return (space < 0 ? rest : rest[..space]).ToString();
        }
        return null;
    }

    public static Hardware? ReadHardware(IReadOnlyList<string> lines)
    {
        foreach (var line in lines)
        {
            int at = line.IndexOf("Hardware name: ", StringComparison.Ordinal);
            if (at >= 0)
                return ParseHardware(line[(at + 15)..]);
        }
        return null;
    }

    /// <summary>Parsed from the right: vendor and product names contain spaces, commas and slashes too.</summary>
    public static Hardware ParseHardware(string text)
    {
        text = text.Trim();
        string? version = null, date = null;
        int bios = text.LastIndexOf(", BIOS", StringComparison.Ordinal);
        if (bios >= 0 && bios + 6 < text.Length && text[bios + 6] != ' ')
            bios = -1;
        var machine = text;
        if (bios >= 0)
        {
            machine = text[..bios];
            var biosText = text[(bios + 6)..].Trim();
            int lastSpace = biosText.LastIndexOf(' ');
            if (lastSpace > 0 && LooksLikeDate(biosText[(lastSpace + 1)..]))
            {
                version = biosText[..lastSpace].Trim();
                date = biosText[(lastSpace + 1)..];
            }
            else if (LooksLikeDate(biosText))
                date = biosText;
            else if (biosText.Length > 0)
                version = biosText;
        }
        string system = machine;
        string? board = null;
        int slash = machine.LastIndexOf('/');
        if (slash >= 0)
        {
            system = machine[..slash].Trim();
            board = machine[(slash + 1)..].Trim();
        }
        return new Hardware(system, board, version, date);
    }

    private static bool LooksLikeDate(string text) =>
        text.Length == 10 && text[2] == '/' && text[5] == '/' && text.Where(char.IsAsciiDigit).Count() == 8;

    public static IReadOnlyList<string> ReadModules(IReadOnlyList<string> lines)
    {
        var modules = new List<string>();
        for (int i = 0; i < lines.Count; i++)
        {
            int at = lines[i].IndexOf("Modules linked in:", StringComparison.Ordinal);
            if (at < 0)
                continue;
            AddModules(lines[i].AsSpan(at + 18), modules);
            // Long lists wrap onto lines that hold nothing but more module names.
            for (int j = i + 1; j < lines.Count && IsModuleList(lines[j]); j++)
                AddModules(lines[j], modules);
            break;
        }
        return modules;
    }

    private static void AddModules(ReadOnlySpan<char> text, List<string> modules)
    {
        foreach (var range in text.Split(' '))
        {
            var token = text[range].Trim();
            int paren = token.IndexOf('(');
            if (paren >= 0)
                token = token[..paren];
            if (token.Length > 0 && token.Length <= 64 && !token.StartsWith("["))
                modules.Add(token.ToString());
        }
    }

    private static bool IsModuleList(string line)
    {
        var text = line.AsSpan().Trim();
        if (text.Length == 0 || text.Contains(':') || text.Contains('+') || text.Contains('<'))
            return false;
        foreach (var c in text)
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or ' ' or '(' or ')' or '-' or '[' or ']'
                || char.IsAsciiLetterUpper(c)))
                return false;
        return text.Contains(' ') || text.EndsWith(")");
    }

    private static int LeadingInt(ReadOnlySpan<char> text)
    {
        int i = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]) && i < 9)
            i++;
        return i == 0 ? 0 : int.Parse(text[..i], CultureInfo.InvariantCulture);
    }

    /// <summary>A register block being read; names follow the printed x86 spellings.</summary>
    private sealed class RegisterBlock
    {
        private readonly Dictionary<string, ulong> values = new();
        public bool Is32Bit;
        public string? Function;
        public bool IsUser => Get("cs") is 0x33 or 0x2b or 0x23 or 0x73;

        private ulong Get(string name) => values.TryGetValue(name, out var v) ? v : 0;

        // "0010:func+0x11/0x20 [mod]", "0033:0x446179", "0010:[<ffffffff81000000>]  [<...>] func+0x1/0x2",
        // i386 "0060:[<c1000000>] EFLAGS: 00010246 CPU: 0" or "func+0x1/0x2".
        public void ReadInstructionPointer(ReadOnlySpan<char> text)
        {
            int colon = text.IndexOf(':');
            if (colon == 4 && TryHex(text[..4], out var cs))
            {
                values["cs"] = cs;
                text = text[5..];
            }
            text = text.TrimStart();
            if (text.StartsWith("[<"))
            {
                int close = text.IndexOf(">]");
                if (close > 2 && TryHex(text[2..close], out var ip))
                    values["ip"] = ip;
                text = text[(close + 2)..].TrimStart();
                if (text.StartsWith("[<"))
                    text = text[(text.IndexOf(">]") + 2)..].TrimStart();
                int eflags = text.IndexOf("EFLAGS:");
                if (eflags >= 0)
                {
                    ReadPairs(text[eflags..]);
                    text = text[..eflags];
                }
            }
            else if (text.StartsWith("0x") && TryHex(UntilSpace(text[2..]), out var ip))
            {
                values["ip"] = ip;
                return;
            }
            var symbol = UntilSpace(text.Trim());
            if (symbol.Contains('+'))
                Function = text.Trim().ToString();
        }

        // "RAX: ffffffffffffffda RBX: 0000000000004350 RCX: 0000000000446179",
        // "RSP: 0018:ffffd33b0059bd08 EFLAGS: 00000286 ORIG_RAX: 000000000000002c".
        public bool ReadPairs(ReadOnlySpan<char> text)
        {
            bool any = false;
            while (text.Length > 0)
            {
                int colon = text.IndexOf(": ");
                if (colon <= 0 || colon > 8)
                    break;
                var name = text[..colon].Trim();
                text = text[(colon + 2)..].TrimStart();
                var value = UntilSpace(text);
                text = text[value.Length..].TrimStart();
                if (value.Length > 5 && value[4] == ':' && (name is "RSP" or "ESP" or "SP") && TryHex(value[..4], out var ss))
                {
                    values["ss"] = ss;
                    value = value[5..];
                }
                var key = Canonical(name);
                if (key != null && TryHex(value, out var number))
                {
                    values[key] = number;
                    any = true;
                }
            }
            return any;
        }

        private static ReadOnlySpan<char> UntilSpace(ReadOnlySpan<char> text)
        {
            int space = text.IndexOf(' ');
            return space < 0 ? text : text[..space];
        }

        private static string? Canonical(ReadOnlySpan<char> name) => name switch
        {
            "R15" => "r15", "R14" => "r14", "R13" => "r13", "R12" => "r12", "R11" => "r11", "R10" => "r10",
            "R09" or "R9" => "r9", "R08" or "R8" => "r8",
            "RBP" or "EBP" => "bp", "RBX" or "EBX" => "bx", "RAX" or "EAX" => "ax", "RCX" or "ECX" => "cx",
            "RDX" or "EDX" => "dx", "RSI" or "ESI" => "si", "RDI" or "EDI" => "di", "ORIG_RAX" or "ORIG_EAX" => "orig_ax",
            "EFLAGS" => "flags", "RSP" or "ESP" => "sp", "SS" => "ss", "CS" => "cs",
            _ => null,
        };

        private static bool TryHex(ReadOnlySpan<char> text, out ulong value) =>
            ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);

        public Registers ToRegisters() => new(
            Get("r15"), Get("r14"), Get("r13"), Get("r12"), Get("bp"), Get("bx"), Get("r11"), Get("r10"),
            Get("r9"), Get("r8"), Get("ax"), Get("cx"), Get("dx"), Get("si"), Get("di"), Get("orig_ax"),
            Get("ip"), Get("cs"), Get("flags"), Get("sp"), Get("ss"), Function, Is32Bit);
    }
}
