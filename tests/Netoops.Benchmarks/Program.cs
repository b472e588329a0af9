using BenchmarkDotNet.Running;
using Netoops.Benchmarks;

// Run all: dotnet run -c Release --project tests/Netoops.Benchmarks -- --filter '*'
// Crash analysis throughput in CPU time: dotnet run -c Release --project tests/Netoops.Benchmarks -- throughput
if (args.Length > 0 && args[0] == "throughput")
{
    CrashAnalysisThroughput.Run(args.Length > 1 && int.TryParse(args[1], out var passes) ? passes : 7);
    return;
}
// Ingest figures with real sockets (design/collector.md): udp-sink ADDR SECONDS | drain [ROUNDS] [RCVBUF] | drain-bare [ROUNDS] [RCVBUF]
if (args.Length > 1 && args[0] == "udp-sink")
{
    Netoops.Benchmarks.Ingest.IngestFigures.UdpSink(args[1], args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10);
    return;
}
if (args.Length > 0 && args[0] is "drain" or "drain-bare")
{
    Netoops.Benchmarks.Ingest.IngestFigures.Drain(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 12,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 8 << 20, bare: args[0] == "drain-bare");
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
