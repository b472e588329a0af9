using System.Diagnostics;
using System.Text;

namespace Netoops.Collector.Analysis;

/// <summary>
/// Analyses one made-up report and fingerprints it before the sockets open. A fresh process's first
/// analysis pays for loading and compiling the analyser (its patterns, the frame classes): seconds
/// on a busy 2-core machine, during which a storm's dumps queue behind it with nothing yet to fold
/// them into, and the backlog overflows (5,308 of 60,304 dumps dropped in the storm figures).
/// </summary>
public static class AnalysisWarmup
{
    private const string Report = """
        [   10.000001] ------------[ cut here ]------------
        [   10.000002] WARNING: CPU: 1 PID: 42 at kernel/warmup.c:7 warmup_check+0x11/0x20
        [   10.000003] Modules linked in: virtio_net
        [   10.000004] CPU: 1 PID: 42 Comm: swapper/1 Not tainted 6.1.0-0-amd64 #1
        [   10.000005] Hardware name: made up for the warm-up
        [   10.000006] RIP: 0010:warmup_check+0x11/0x20
        [   10.000007] RSP: 0018:ffffc90000013e38 EFLAGS: 00010246
        [   10.000008] Call Trace:
        [   10.000009]  <TASK>
        [   10.000010]  warmup_caller+0x6b/0xf0
        [   10.000011]  kthread+0xe8/0x110
        [   10.000012]  </TASK>
        [   10.000013] ---[ end trace 0000000000000000 ]---
        """;

    public static TimeSpan Run(ICrashAnalyzer analyzer)
    {
        var started = Stopwatch.GetTimestamp();
        analyzer.TryAnalyze(Report);
        ReportFingerprint.TryCompute(Encoding.ASCII.GetBytes(Report), "6.1.0-0-amd64", 1, out _);
        ReportFingerprint.MasksPartOf("WARNING in warmup_check");
        return Stopwatch.GetElapsedTime(started);
    }
}
