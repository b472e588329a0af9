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
// A netoops packet flood from many sources (figures for the collector): ... -- flood --to ADDR:PORT --sources N --seconds S --rate PPS --dump-packets N --send K
if (args.Length > 0 && args[0] == "flood")
{
    Netoops.Benchmarks.Collector.NetoopsFlood.Run(args[1..]);
    return;
}
// Memory the dump shards count vs the heap they really hold: ... -- pending-memory
if (args.Length > 0 && args[0] == "pending-memory")
{
    Netoops.Benchmarks.Collector.PendingDumpMemory.Run();
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
