using Netoops.Analysis;
using Netoops.Collector.Metrics;
using Netoops.Collector.Storage;

namespace Netoops.Collector.Analysis;

/// <summary>
/// <see cref="ICrashAnalyzer"/> over Netoops.Analysis. Text without a recognisable report still
/// gets a title: a soft dump is bucketed as "soft dump", anything else as "unrecognised crash
/// text" and counted, so that nothing received is lost for lack of a title.
/// </summary>
public sealed class LinuxCrashAnalyzer(CollectorMetrics metrics) : ICrashAnalyzer
{
    public const string SoftDumpTitle = "soft dump";
    public const string UnrecognisedTitle = "unrecognised crash text";

    public CrashAnalysis Analyze(string text, bool softDump)
    {
        if (TryAnalyze(text) is { } analysis) return analysis;
        if (!softDump) metrics.AnalysisFailures.Increment();
        var title = softDump ? SoftDumpTitle : UnrecognisedTitle;
        return new CrashAnalysis(softDump ? "soft" : "unknown", title, title, "", MachineIdentity.Unknown,
            new Dictionary<string, ulong>(), "");
    }

    public CrashAnalysis? TryAnalyze(string text)
    {
        CrashReport? report;
        try
        {
            report = CrashAnalyzer.Analyze(text);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Hostile text must not take the collector down; the caller falls back to a plain title.
            metrics.AnalysisFailures.Increment();
            return null;
        }
        if (report is null) return null;
        var hardware = report.Hardware;
        var machine = hardware is null
            ? MachineIdentity.Unknown
            : new MachineIdentity(hardware.System, hardware.Board ?? "", $"{hardware.BiosVersion} {hardware.BiosDate}".Trim());
        var registers = report.Registers is { } r
            ? r.Named().ToDictionary(p => p.Key, p => p.Value)
            : new Dictionary<string, ulong>();
        return new CrashAnalysis(report.Kind.ToString().ToLowerInvariant(), report.Title, report.Bucket,
            string.Join('\n', report.Text), machine, registers, report.Kernel?.Release ?? "");
    }
}
