namespace Netoops.Analysis;

/// <summary>Tuning for <see cref="CrashDetector"/>.</summary>
/// <param name="QuietGap">A report with no new line of its own for this long has ended.</param>
/// <param name="MaxReportLines">A report is cut off after this many lines, whatever follows.</param>
public sealed record CrashDetectorOptions(TimeSpan QuietGap, int MaxReportLines)
{
    public static readonly CrashDetectorOptions Default = new(TimeSpan.FromSeconds(5), 2000);
}

/// <summary>
/// The streaming form of <see cref="CrashAnalyzer"/>, for an agent reading kmsg records one at a time.
/// A report starts at a line that announces one and ends at the kernel's end marker
/// (<c>---[ end trace …]---</c>, <c>---[ end Kernel panic …]---</c>), when the same caller starts
/// another report, after a quiet gap, or at the line limit. Lines tagged with another caller
/// (<c>[ T123]</c>, <c>[ C1]</c>) interleave freely: each caller's report is followed on its own.
/// Not thread-safe: one detector per stream, fed from one place (an actor).
/// </summary>
public sealed class CrashDetector
{
    private readonly CrashDetectorOptions options;
    private readonly List<Pending> pending = [];
    private long lineNumber;

    public CrashDetector(CrashDetectorOptions? options = null)
    {
        this.options = options ?? CrashDetectorOptions.Default;
        if (this.options.MaxReportLines < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "MaxReportLines must be at least 1");
    }

    /// <summary>True while at least one report is open.</summary>
    public bool InReport => pending.Count > 0;

    /// <summary>
    /// Feeds one line (its printk decorations may still be on). <paramref name="time"/> is the
    /// record's timestamp (kmsg <c>ts_usec</c>); without it the line's own <c>[  12.345]</c> is used.
    /// Returns the reports this line ended, oldest first; usually none.
    /// </summary>
    public IReadOnlyList<CrashReport> Feed(string line, TimeSpan? time = null)
    {
        line = CrashAnalyzer.Bounded(line);
        var parsed = ConsoleLine.Parse(line);
        var now = time ?? (parsed.Seconds is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null);
        List<CrashReport>? done = null;
        if (now is { } t)
            ExpireQuiet(t, ref done);

        var mine = Find(parsed.Context);
        var group = ReportLocator.MatchHeader(line);
        bool startsReport = group != null && (mine == null || !ReportLocator.IsConsequence(line));
        if (startsReport && mine != null)
        {
            Complete(mine, ref done);
            mine = null;
        }

        foreach (var report in pending)
            if (report != mine)
                report.Add(line, now, own: false);
        if (mine != null)
        {
            mine.Add(line, now, own: true);
            if (ReportLocator.IsEndMarker(parsed.Text) || mine.Lines.Count >= options.MaxReportLines)
                Complete(mine, ref done);
        }
        else if (startsReport)
            pending.Add(new Pending(parsed.Context, lineNumber, line, now));

        // Other callers' reports stop growing at the limit too.
        for (int i = pending.Count - 1; i >= 0; i--)
            if (pending[i].Lines.Count >= options.MaxReportLines)
                Complete(pending[i], ref done);
        lineNumber++;
        return (IReadOnlyList<CrashReport>?)done ?? [];
    }

    /// <summary>Ends the reports that have been quiet for the gap as of <paramref name="now"/> (call on a timer).</summary>
    public IReadOnlyList<CrashReport> Tick(TimeSpan now)
    {
        List<CrashReport>? done = null;
        ExpireQuiet(now, ref done);
        return (IReadOnlyList<CrashReport>?)done ?? [];
    }

    /// <summary>Ends every open report (end of input, shutdown).</summary>
    public IReadOnlyList<CrashReport> Flush()
    {
        List<CrashReport>? done = null;
        while (pending.Count > 0)
            Complete(pending[0], ref done);
        return (IReadOnlyList<CrashReport>?)done ?? [];
    }

    private Pending? Find(string context)
    {
        foreach (var report in pending)
            if (report.Context == context)
                return report;
        return null;
    }

    private void ExpireQuiet(TimeSpan now, ref List<CrashReport>? done)
    {
        for (int i = 0; i < pending.Count; i++)
        {
            if (pending[i].LastOwnTime is { } last && now - last > options.QuietGap)
            {
                Complete(pending[i], ref done);
                i--;
            }
        }
    }

    private void Complete(Pending report, ref List<CrashReport>? done)
    {
        pending.Remove(report);
        var analysed = CrashAnalyzer.Analyze(report.Lines);
        if (analysed == null)
            return;
        (done ??= []).Add(analysed with
        {
            StartLine = (int)Math.Min(int.MaxValue, report.FirstLine + analysed.StartLine),
            EndLine = (int)Math.Min(int.MaxValue, report.FirstLine + analysed.EndLine),
        });
    }

    /// <summary>A report being collected: its caller's lines and whatever interleaved with them.</summary>
    private sealed class Pending(string context, long firstLine, string line, TimeSpan? time)
    {
        public string Context { get; } = context;
        public long FirstLine { get; } = firstLine;
        public List<string> Lines { get; } = [line];
        public TimeSpan? LastOwnTime { get; private set; } = time;

        public void Add(string raw, TimeSpan? time, bool own)
        {
            Lines.Add(raw);
            if (own && time != null)
                LastOwnTime = time;
        }
    }
}
