using Netoops.Analysis;

namespace Netoops.Agent.Crash;

/// <summary>
/// Decides, line by line, <i>when</i> a crash report in the live log is complete, and lets the
/// analysis library say <i>what</i> it is. An oops or WARN closes with <c>---[ end trace</c>, a panic
/// with its <c>Kernel panic - not syncing</c> line, an OOM kill with its <c>Out of memory: Killed
/// process</c> summary: those are acted on at once, because the next line may never come. Reports
/// without an end marker (hung task, soft lockup) are picked up when the log goes quiet
/// (<see cref="Quiet"/>). Not thread-safe: the kmsg actor owns it.
/// </summary>
public sealed class CrashWatch
{
    /// <summary>Lines kept while waiting for a report to end; a report is far shorter.</summary>
    public const int WindowLines = 600;

    private readonly Queue<string> _window = new();
    private bool _unexamined;

    /// <summary>
    /// A report has started and not been consumed yet: a cheap streaming hint (first-line markers
    /// of REFERENCE §6) so that the netconsole streamer lets the crash's lines past its rate limit.
    /// </summary>
    public bool InReport { get; private set; }

    /// <summary>Adds one dmesg-style line; returns the report it completes, if any.</summary>
    public CrashReport? Observe(string line)
    {
        _window.Enqueue(line);
        if (_window.Count > WindowLines) _window.Dequeue();
        _unexamined = true;
        if (!InReport && OpensReport(line)) InReport = true;
        return ClosesReport(line) ? Examine() : null;
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

    private static readonly string[] StartMarkers =
    [
        "------------[ cut here ]------------", "BUG: ", "WARNING: ", "Oops: ", "general protection fault",
        "kernel BUG at", "invalid opcode:", "Kernel panic - not syncing", "INFO: task ", "invoked oom-killer:",
        "Out of memory: Killed",
    ];

    private static bool OpensReport(string line)
    {
        foreach (var marker in StartMarkers)
            if (line.Contains(marker, StringComparison.Ordinal)) return true;
        return false;
    }

    private static bool ClosesReport(string line)
        => line.Contains("---[ end trace", StringComparison.Ordinal)
        || line.Contains("---[ end Kernel panic", StringComparison.Ordinal)
        || line.Contains("Kernel panic - not syncing", StringComparison.Ordinal)
        // The OOM killer's last line (the reaper's note comes later, on its own); whether an OOM
        // kill is dumped is the netoops record_oom setting's call, made by the dump coordinator.
        || line.Contains("Out of memory: Killed process", StringComparison.Ordinal);
}
