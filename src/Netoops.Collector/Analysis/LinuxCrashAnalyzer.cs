using Netoops.Analysis;
using Netoops.Collector.Metrics;
using Netoops.Collector.Storage;

namespace Netoops.Collector.Analysis;

/// <summary>
/// <see cref="ICrashAnalyzer"/> over Netoops.Analysis. A soft dump is the log someone asked for
/// (sysrq, <c>netoops dump --soft</c>), not a crash: it is always kind <c>soft</c> in the one
/// "soft dump" bucket, whatever its text holds (a boot notice, or a report that was dumped on its
/// own already), and only borrows the machine facts analysis reads. Other text without a
/// recognisable report is "unrecognised crash text" and counted, so that nothing received is lost
/// for lack of a title.
/// </summary>
public sealed class LinuxCrashAnalyzer(CollectorMetrics metrics) : ICrashAnalyzer
{
    public const string SoftDumpTitle = "soft dump";
    public const string SoftKind = "soft";
    public const string UnrecognisedTitle = "unrecognised crash text";

    public CrashAnalysis Analyze(string text, bool softDump)
    {
        var analysis = TryAnalyze(text);
        if (softDump)
            return analysis is null
                ? new CrashAnalysis(SoftKind, SoftDumpTitle, SoftDumpTitle, "", MachineIdentity.Unknown, new Dictionary<string, ulong>(), "")
                : analysis with { Kind = SoftKind, Title = SoftDumpTitle, BucketKey = SoftDumpTitle }; // a report found inside stays listed with it
        if (analysis is not null) return analysis;
        metrics.AnalysisFailures.Increment();
        return new CrashAnalysis("unknown", UnrecognisedTitle, UnrecognisedTitle, "", MachineIdentity.Unknown,
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
