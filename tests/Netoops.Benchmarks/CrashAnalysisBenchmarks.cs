using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Netoops.Analysis;

namespace Netoops.Benchmarks;

/// <summary>
/// Crash reports analysed per second on one core (pinned to CPU 0). Reports/s = 1 / the reported
/// mean per operation: each operation analyses one console log.
/// Run: dotnet run -c Release --project tests/Netoops.Benchmarks -- --filter '*CrashAnalysis*'
/// </summary>
[Config(typeof(OneCoreShortRun))]
[MemoryDiagnoser]
public class CrashAnalysisBenchmarks
{
    private sealed class OneCoreShortRun : ManualConfig
    {
        public OneCoreShortRun() => AddJob(Job.ShortRun.WithAffinity(1));
    }

    private string[] corpus = [];
    private string typical = "";

    [GlobalSetup]
    public void Setup()
    {
        corpus = LoadCorpusBodies();
        // A typical report: the median-sized one of the corpus.
        typical = corpus.OrderBy(b => b.Length).ElementAt(corpus.Length / 2);
    }

    /// <summary>Every development-corpus log once; the mean is per log.</summary>
    [Benchmark(OperationsPerInvoke = 553)]
    public int AnalyzeCorpusLog()
    {
        int crashes = 0;
        for (int i = 0; i < 553; i++)
            if (CrashAnalyzer.Analyze(corpus[i % corpus.Length]) != null)
                crashes++;
        return crashes;
    }

    [Benchmark]
    public CrashReport? AnalyzeTypicalLog() => CrashAnalyzer.Analyze(typical);

    /// <summary>The streams' first look at each line of the same log (agent crash watch, collector capture).</summary>
    [Benchmark]
    public int MayOpenPerLineOfTypicalLog()
    {
        int opens = 0;
        foreach (var line in typical.Split('\n'))
            if (ReportBoundary.MayOpen(line))
                opens++;
        return opens;
    }

    internal static string[] LoadCorpusBodies()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Netoops.Actors.sln")))
            dir = dir.Parent;
        var reports = Path.Combine(dir?.FullName ?? ".", "..", "shared", "corpus", "syzkaller-linux-reports", "reports");
        if (!Directory.Exists(reports))
            throw new DirectoryNotFoundException($"the crash corpus is expected at {reports}");
        return Directory.EnumerateFiles(reports).Order().Select(path =>
        {
            // As the scoring script does: headers up to the first empty line; a file without one has no log.
            var text = File.ReadAllText(path).Replace("\r", "");
            int split = text.IndexOf("\n\n", StringComparison.Ordinal);
            var body = split < 0 ? "" : text[(split + 2)..];
            int cut = body.IndexOf("\n\nREPORT:\n", StringComparison.Ordinal);
            return cut >= 0 ? body[..cut] : body;
        }).ToArray();
    }
}
