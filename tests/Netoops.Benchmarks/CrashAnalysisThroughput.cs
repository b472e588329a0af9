using System.Diagnostics;
using Netoops.Analysis;

namespace Netoops.Benchmarks;

/// <summary>
/// Crash logs analysed per second of CPU time, single-threaded: on a machine shared with other
/// work, wall-clock benchmarks measure the neighbours, while the CPU time this process used does
/// not. Run: dotnet run -c Release --project tests/Netoops.Benchmarks -- throughput [passes]
/// </summary>
internal static class CrashAnalysisThroughput
{
    private const int WarmupPasses = 12;

    public static void Run(int passes)
    {
        var logs = CrashAnalysisBenchmarks.LoadCorpusBodies();
        // Warm up until the JIT has tiered up and the regex automata are built: steady state is the figure.
        for (int i = 0; i < WarmupPasses; i++)
            Analyze(logs);
        var rates = new List<double>();
        for (int pass = 0; pass < passes; pass++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            int crashes = Analyze(logs);
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            rates.Add(logs.Length / used.TotalSeconds);
            Console.WriteLine($"pass {pass + 1}: {logs.Length} logs ({crashes} crashes) in {used.TotalMilliseconds:F0} ms CPU = {rates[^1]:F0} logs/s");
        }
        rates.Sort();
        Console.WriteLine($"median: {rates[rates.Count / 2]:F0} crash logs analysed per CPU-second (one thread)");
    }

    private static int Analyze(string[] logs)
    {
        int crashes = 0;
        foreach (var log in logs)
            if (CrashAnalyzer.Analyze(log) is { IsBug: true })
                crashes++;
        return crashes;
    }
}
