using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Akka.Actor;
using BenchmarkDotNet.Attributes;
using Netoops.Analysis;
using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;
using Netoops.Collector.Netconsole;

namespace Netoops.Benchmarks.Ingest;

/// <summary>
/// The netconsole receive thread's work per datagram, without the socket: 1,024 hosts taking turns,
/// each sending 100-byte extended messages with rising sequence numbers (written in place into a
/// fixed-width field, so every datagram is new to its session), as the collector sees a fleet.
/// Run: dotnet run -c Release --project tests/Netoops.Benchmarks -- --filter '*NetconsoleSink*' --job short
/// </summary>
[MemoryDiagnoser]
public class NetconsoleSinkBenchmarks
{
    private const int Hosts = 1024;
    private const int Rounds = 16;
    private const int SequenceAt = 2;
    private const int SequenceDigits = 10;

    private readonly byte[] _datagram = new byte[100];
    private readonly string _line = "app[17]: heartbeat 42 all quiet on host 17 ..................................";
    private IDatagramSink _sink = null!;
    private IDatagramSink _sinkWithoutTails = null!;
    private ulong _sequence;

    [GlobalSetup]
    public void Setup()
    {
        _sink = new NetconsoleSink(new NetconsoleSession.Settings(ContextLines: 50, MaxReportLines: 400, ReportQuiet: TimeSpan.FromSeconds(2)),
            maxSessions: 100_000, sessionIdle: TimeSpan.FromMinutes(10), new CollectorMetrics(), new NetconsoleTails(200, 100_000), ActorRefs.Nobody);
        _sinkWithoutTails = new NetconsoleSink(new NetconsoleSession.Settings(ContextLines: 0, MaxReportLines: 400, ReportQuiet: TimeSpan.FromSeconds(2)),
            maxSessions: 100_000, sessionIdle: TimeSpan.FromMinutes(10), new CollectorMetrics(), new NetconsoleTails(0, 100_000), ActorRefs.Nobody);
        var text = Encoding.ASCII.GetBytes($"6,{new string('0', SequenceDigits)},1000000,-;{_line}");
        text.CopyTo(_datagram, 0);
        _datagram[^1] = (byte)'\n';
        Feed(_sink); // sessions exist before measuring: the steady state of a running fleet
        Feed(_sinkWithoutTails);
    }

    [Benchmark(OperationsPerInvoke = Hosts * Rounds)]
    public void Sink_per_datagram() => Feed(_sink);

    /// <summary>The same without keeping lines (no tail, no context): what storing each line costs.</summary>
    [Benchmark(OperationsPerInvoke = Hosts * Rounds)]
    public void Sink_per_datagram_keeping_no_lines() => Feed(_sinkWithoutTails);

    /// <summary>Reading the datagram in place, alone.</summary>
    [Benchmark(OperationsPerInvoke = Hosts * Rounds)]
    public ulong Parsing_only()
    {
        ulong sum = 0;
        for (var round = 0; round < Rounds; round++)
            for (var host = 0; host < Hosts; host++)
            {
                WriteSequence();
                if (CommonMessage.TryRead(_datagram, out var message)) sum += message.Sequence;
            }
        return sum;
    }

    /// <summary>What <see cref="Sink_per_datagram"/> spends writing the sequence number: subtract it.</summary>
    [Benchmark(OperationsPerInvoke = Hosts * Rounds, Baseline = true)]
    public void Writing_the_sequence_only()
    {
        for (var round = 0; round < Rounds; round++)
            for (var host = 0; host < Hosts; host++)
                WriteSequence();
    }

    /// <summary>The analysis library's string test on one ordinary line (what the sink's byte prefilter stands in for).</summary>
    [Benchmark]
    public bool May_open_per_line() => ReportBoundary.MayOpen(_line);

    /// <summary>The sink's prefilter on the same line.</summary>
    [Benchmark]
    public bool Crash_trigger_per_line() => CrashTrigger.OpensReport(_line);

    private void Feed(IDatagramSink sink)
    {
        for (var round = 0; round < Rounds; round++)
        {
            WriteSequence();
            for (var host = 0; host < Hosts; host++)
                sink.OnDatagram(_datagram, SourceAddress.FromV4(0x7f010000u + (uint)host, 6665));
            sink.OnBatchEnd();
        }
    }

    private void WriteSequence()
    {
        Utf8Formatter.TryFormat(_sequence++, _datagram.AsSpan(SequenceAt, SequenceDigits), out _, new StandardFormat('D', SequenceDigits));
    }
}
