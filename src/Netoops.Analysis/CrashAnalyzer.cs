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
        if (lines.Any(l => l.Length > MaxLineLength))
            lines = lines.Select(Bounded).ToList();
        var parsed = new ConsoleLine[lines.Count];
        for (int i = 0; i < lines.Count; i++)
            parsed[i] = ConsoleLine.Parse(lines[i]);
        var located = ReportLocator.FindFirst(lines, parsed);
        return located == null ? null : Describe(located, lines, parsed);
    }

    /// <summary>
    /// The longest line looked at. printk records hold at most about 1 KiB of text, so anything longer
    /// is lines glued together or junk; cutting it keeps every per-line step bounded and the whole
    /// analysis linear in the input, whatever the input is.
    /// </summary>
    public const int MaxLineLength = 4096;

    public static IReadOnlyList<string> SplitLines(string text)
    {
        var lines = new List<string>();
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var (offset, length) = range.GetOffsetAndLength(text.Length);
            lines.Add(text.Substring(offset, Math.Min(length, MaxLineLength)));
        }
        if (lines.Count > 0 && lines[^1].Length == 0)
            lines.RemoveAt(lines.Count - 1);
        return lines;
    }

    internal static string Bounded(string line) => line.Length > MaxLineLength ? line[..MaxLineLength] : line;

    private static readonly FrameFilter NotEvidence = new(FrameSkips.Generic.Concat(FrameSkips.Ambient));

    /// <summary>
    /// For a damaged report, the function its faulting instruction names when that line survived
    /// (<see cref="BucketKey.For(string, string?)"/>): the one frame of a damaged report that is no
    /// guess. Stack entries that survived may be another CPU's or a stale guess, so they do not count,
    /// and neither does a stalled or hung CPU's instruction pointer, caught wherever it happened to be.
    /// </summary>
    private static string? SurvivingFault(string title, CrashKind kind, List<string> lines)
    {
        if (kind == CrashKind.Hang || !title.EndsWith(" in corrupted", StringComparison.Ordinal))
            return null;
        foreach (var line in lines)
            if (ReportFacts.FaultingFunction(line) is { } function)
                return NotEvidence.Skips(function) ? null : FrameSkips.StripWrapper(function);
        return null;
    }

    private static (RawTitle Raw, string Title, bool Corrupted) Name(LocatedReport located)
    {
        var titleLines = located.Lines.GetRange(0, Math.Max(1, located.TitleLines));
        var raw = Titler.Title(located.Group, titleLines);
        var title = TitleNormaliser.Normalise(raw.Title);
        return (raw, title, raw.Corrupted || Damage.IsDamaged(title, located.Lines, raw.Rule));
    }

    private static CrashReport Describe(LocatedReport located, IReadOnlyList<string> raw, ConsoleLine[] parsed)
    {
        var (raw1, title, corrupted) = Name(located);
        if (corrupted && located.SkippedGuesses)
        {
            var guessed = ReportLocator.WithGuesses(raw, parsed, located);
            var named = Name(guessed);
            if (!named.Corrupted)
                (located, raw1, title, corrupted) = (guessed, named.Raw, named.Title, false);
        }

        var registers = ReportFacts.ReadRegisters(located.Lines);
        var task = ReportFacts.ReadTask(located.Lines, out var kernel);
        var modules = ReportFacts.ReadModules(located.Lines);
        var release = kernel?.Release ?? ReportFacts.ReadLinuxVersion(raw);
        kernel = new KernelInfo(release, kernel?.Build, kernel?.Taint ?? "", modules);
        var hardware = ReportFacts.ReadHardware(located.Lines);

        return new CrashReport(
            raw1.Kind, title, BucketKey.For(title, SurvivingFault(title, raw1.Kind, located.Lines)), CrashType.FromTitle(title), corrupted,
            raw1.Frames, registers, task, kernel, hardware, located.Start, located.End, located.Lines);
    }
}
