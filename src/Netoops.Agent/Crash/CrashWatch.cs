using Netoops.Analysis;

namespace Netoops.Agent.Crash;

/// <summary>
/// Decides, line by line, <i>when</i> a crash report in the live log is complete, and lets the
/// analysis library say <i>what</i> it is. Where a report opens and closes is the library's
/// <see cref="ReportBoundary"/>: a closing line (an oops's or WARN's <c>---[ end trace</c>, the OOM
/// killer's summary) is acted on at once, because the next line may never come. Reports without
/// one (hung task, soft lockup) are picked up when the log goes quiet (<see cref="Quiet"/>).
/// Whether an OOM kill is dumped is the netoops record_oom setting's call, made by the dump
/// coordinator. Not thread-safe: the kmsg actor owns it.
/// </summary>
public sealed class CrashWatch
{
    /// <summary>Lines kept while waiting for a report to end; a report is far shorter.</summary>
    public const int WindowLines = 600;

    private readonly Queue<string> _window = new();
    private bool _unexamined;

    /// <summary>
    /// A report may have started and not been consumed yet: a cheap streaming hint so that the netconsole streamer lets the crash's lines past its rate limit.
    /// </summary>
    public bool InReport { get; private set; }

    /// <summary>Adds one dmesg-style line; returns the report it completes, if any.</summary>
    public CrashReport? Observe(string line)
    {
        _window.Enqueue(line);
        if (_window.Count > WindowLines) _window.Dequeue();
        _unexamined = true;
        if (!InReport && ReportBoundary.MayOpen(line)) InReport = true;
        return ReportBoundary.Closes(line) ? Examine() : null;
    }

    /// <summary>The log went quiet: a report without an end marker is complete now.</summary>
    public CrashReport? Quiet() => _unexamined ? Examine() : null;

    private CrashReport? Examine()
    {
        _unexamined = false;
        var report = CrashAnalyzer.Analyze(_window.ToList());
        // The lines of a found report are consumed, so the same report never fires twice;
        // without one the window stays, so a later end marker still sees the report's start.
        if (report is not null)
        {
            _window.Clear();
            InReport = false;
        }
        return report;
    }
}
