using Netoops.Collector.Storage;

namespace Netoops.Collector.Analysis;

/// <summary>What analysis made of a crash text: enough to title, bucket and describe it.</summary>
public sealed record CrashAnalysis(
    string Kind,
    string Title,
    string BucketKey,
    string Report,
    MachineIdentity Machine,
    IReadOnlyDictionary<string, ulong> Registers,
    string Kernel);

/// <summary>
/// Turns crash text into a title and a bucket. Must never throw on hostile text: a text it cannot
/// make sense of still gets a title (and is counted), so every dump is stored.
/// </summary>
public interface ICrashAnalyzer
{
    /// <param name="text">The log, oldest line first.</param>
    /// <param name="softDump">True for a soft dump (sysrq y): a log sent without a crash.</param>
    CrashAnalysis Analyze(string text, bool softDump);

    /// <summary>The report found in <paramref name="text"/>, or null when it holds none (no fallback, nothing counted).</summary>
    CrashAnalysis? TryAnalyze(string text);
}
