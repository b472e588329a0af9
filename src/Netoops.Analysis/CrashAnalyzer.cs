namespace Netoops.Analysis;

/// <summary>
/// The analysis entry point: finds the first crash report in console output and describes it.
/// Pure and thread-safe; linear in the size of the input.
/// </summary>
public static class CrashAnalyzer
{
    /// <summary>Analyses console text (serial console, netconsole, dmesg, a pstore record).</summary>
    public static CrashReport? Analyze(string text) => Analyze(SplitLines(text));

    /// <summary>Analyses console lines, oldest first.</summary>
    public static CrashReport? Analyze(IReadOnlyList<string> lines)
    {
        var parsed = new ConsoleLine[lines.Count];
        for (int i = 0; i < lines.Count; i++)
            parsed[i] = ConsoleLine.Parse(lines[i]);
        var located = ReportLocator.FindFirst(lines, parsed);
        return located == null ? null : Describe(located, lines, parsed);
    }

    public static IReadOnlyList<string> SplitLines(string text)
    {
        var lines = new List<string>();
        foreach (var range in text.AsSpan().Split('\n'))
            lines.Add(text[range]);
        if (lines.Count > 0 && lines[^1].Length == 0)
            lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    private static CrashReport Describe(LocatedReport located, IReadOnlyList<string> raw, ConsoleLine[] parsed)
    {
        var titleLines = located.Lines.GetRange(0, Math.Max(1, located.TitleLines));
        var raw1 = Titler.Title(located.Group, titleLines);
        var title = TitleNormaliser.Normalise(raw1.Title);
        bool corrupted = raw1.Corrupted || Damage.IsDamaged(title, located.Lines, raw1.Rule);

        var registers = ReportFacts.ReadRegisters(located.Lines);
        var task = ReportFacts.ReadTask(located.Lines, out var kernel);
        var modules = ReportFacts.ReadModules(located.Lines);
        var release = kernel?.Release ?? ReportFacts.ReadLinuxVersion(raw);
        kernel = new KernelInfo(release, kernel?.Build, kernel?.Taint ?? "", modules);
        var hardware = ReportFacts.ReadHardware(located.Lines);

        return new CrashReport(
            raw1.Kind, title, BucketKey.For(title), CrashType.FromTitle(title), corrupted,
            raw1.Frames, registers, task, kernel, hardware, located.Start, located.End, located.Lines);
    }
}
