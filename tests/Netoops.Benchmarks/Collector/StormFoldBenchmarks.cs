using System.Text;
using BenchmarkDotNet.Attributes;
using Netoops.Collector.Analysis;
using Netoops.Collector.Dumps;
using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;
using Netoops.Protocol.Packets;

namespace Netoops.Benchmarks.Collector;

/// <summary>
/// What a crash storm's dump costs the analysts: a full analysis against a fingerprint (the fold
/// that counts it as an occurrence instead), on a 32 KiB dump (31 KiB of boot lines, then a WARN).
/// Run: dotnet run -c Release --project tests/Netoops.Benchmarks -- --filter '*StormFold*' --job short
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class StormFoldBenchmarks
{
    private FinishedDump _dump = null!;
    private string _text = null!;
    private LinuxCrashAnalyzer _analyzer = null!;

    [GlobalSetup]
    public void Setup()
    {
        var log = new StringBuilder();
        const string report = "[   99.000001] ------------[ cut here ]------------\n"
            + "[   99.000002] WARNING: CPU: 0 PID: 137 at drivers/misc/provoke.c:9 provoke_warn+0x11/0x20 [provoke]\n"
            + "[   99.000003] CPU: 0 PID: 137 Comm: sh Tainted: G           OE      6.1.0-56-cloud-amd64 #1 Debian 6.1.192-2\n"
            + "[   99.000004] RIP: 0010:provoke_warn+0x11/0x20 [provoke]\n[   99.000005] Call Trace:\n"
            + "[   99.000006]  provoke_write+0x6b/0xf0 [provoke]\n[   99.000007]  vfs_write+0xb8/0x3a0\n"
            + "[   99.000008] ---[ end trace 0000000000000000 ]---\n";
        while (log.Length + report.Length <= 31 * PacketLayout.DataSize)
            log.Append($"[{log.Length / 100.0,12:F6}] virtio_net virtio0 eth0: boot line, link is up, 1000Mbps full duplex\n");
        log.Append(report);
        _text = log.ToString();
        var header = new DumpHeader { KernelVersion = "6.1.0-56-cloud-amd64", Type = DumpType.Oops };
        _dump = new FinishedDump(new Netoops.Collector.Dumps.DumpKey(SourceAddress.FromV4(0x0a000001, 2004), 1, 1, 1), header, 32,
            Encoding.UTF8.GetBytes(_text), [], DateTimeOffset.UnixEpoch);
        _analyzer = new LinuxCrashAnalyzer(new CollectorMetrics());
    }

    [Benchmark(Baseline = true)]
    public CrashAnalysis Analyse() => _analyzer.Analyze(Encoding.UTF8.GetString(_dump.Text), softDump: false);

    [Benchmark]
    public ulong? Fingerprint() => DumpAnalyst.FingerprintOf(_dump.Header, _dump.Text);
}
