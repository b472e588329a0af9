namespace Netoops.EndToEnd.Tests.Kernel;

/// <summary>
/// One crash report cut out of kernel log lines (timestamps removed): from the line that starts
/// it to the "---[ end ..." line that closes it, or to the log's end for a panic, which reboots
/// before printing its end marker. Plain and explicit on purpose: it checks what the kernel sent,
/// independently of the analysis code under test.
/// </summary>
public sealed record KernelReport(IReadOnlyList<string> Lines)
{
    public static KernelReport? Find(IEnumerable<string> lines, Func<string, bool> isStart)
    {
        var report = new List<string>();
        foreach (var line in lines.Select(ConsoleText.WithoutTimestamp))
        {
            if (report.Count == 0 && !isStart(line))
                continue;
            report.Add(line);
            if (line.StartsWith("---[ end ", StringComparison.Ordinal))
                break;
        }
        return report.Count == 0 ? null : new KernelReport(report);
    }

    /// <summary>The first line starting with the prefix, or null.</summary>
    public string? Line(string prefix) => Lines.FirstOrDefault(line => line.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>
    /// Whether a call-trace frame names the function: " provoke_panic+0x5/0x10 [provoke]", also
    /// when gcc split it (" provoke_write.cold+0x46/0x4e [provoke]").
    /// </summary>
    public bool HasFrame(string function) => Lines.Any(line => FrameFunction(line) == function);

    private static string? FrameFunction(string line)
    {
        var frame = line.TrimStart();
        if (frame.StartsWith("? ", StringComparison.Ordinal))
            frame = frame[2..];
        var offset = frame.IndexOf("+0x", StringComparison.Ordinal);
        if (offset <= 0 || frame.Contains(' ', StringComparison.Ordinal) && frame.IndexOf(' ') < offset)
            return null;
        var symbol = frame[..offset];
        var compilerSuffix = symbol.IndexOf('.');
        return compilerSuffix < 0 ? symbol : symbol[..compilerSuffix];
    }

    public override string ToString() => string.Join('\n', Lines);
}
