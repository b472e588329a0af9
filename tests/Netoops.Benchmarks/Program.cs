using BenchmarkDotNet.Running;
using Netoops.Benchmarks;

// Run all: dotnet run -c Release --project tests/Netoops.Benchmarks -- --filter '*'
// Crash analysis throughput in CPU time: dotnet run -c Release --project tests/Netoops.Benchmarks -- throughput
if (args.Length > 0 && args[0] == "throughput")
{
    CrashAnalysisThroughput.Run(args.Length > 1 && int.TryParse(args[1], out var passes) ? passes : 7);
    return;
}
// Crashes stored per second (SQLite file or PostgreSQL URL): ... -- store [sqlite:PATH|postgres://…] [crashes] [batch]
if (args.Length > 0 && args[0] == "store")
{
    await Netoops.Benchmarks.Collector.StoreThroughput.RunAsync(args[1..]);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
