using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Netoops.Analysis;

namespace Netoops.Agent.Hosting;

/// <summary>
/// Runs the crash analysis once on a sample report at start. Its first call builds its regular
/// expressions and compiles the analysis code (~0.1 s); paying that at start instead of at the
/// first oops keeps "oops end → first packet" in milliseconds. Once the host has started, what
/// start-up used is handed back (<see cref="ReleaseStartupMemory"/>).
/// </summary>
public sealed class AnalysisWarmup(IHostApplicationLifetime lifetime, ILogger<AnalysisWarmup> log) : BackgroundService
{
    private static readonly string[] Sample =
    [
        "[    1.000000] BUG: kernel NULL pointer dereference, address: 0000000000000000",
        "[    1.000001] Oops: 0002 [#1] SMP NOPTI",
        "[    1.000002] CPU: 0 PID: 1 Comm: init Not tainted 6.1.0 #1",
        "[    1.000003] RIP: 0010:warmup+0x1/0x2",
        "[    1.000004] RSP: 0018:ffff000000000000 EFLAGS: 00010246",
        "[    1.000005] Call Trace:",
        "[    1.000006]  <TASK>",
        "[    1.000007]  do_syscall_64+0x55/0xb0",
        "[    1.000008]  </TASK>",
        "[    1.000009] ---[ end trace 0000000000000000 ]---",
    ];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Run(Warm, stoppingToken);
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            await started.Task;
        ReleaseStartupMemory();
    }

    private void Warm()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            CrashAnalyzer.Analyze(Sample);
            log.LogInformation("crash analysis ready in {Ms} ms", started.ElapsedMilliseconds);
        }
        catch (Exception e)
        {
            // Only a head start failed: the agent goes on, the first crash pays the cost (or says why).
            log.LogWarning("crash analysis warm-up failed: {Error}", e.Message);
        }
    }

    /// <summary>
    /// Start-up is over and the agent may now idle for months: the garbage of starting (configuration,
    /// host and actor setup, this warm-up) and the C heap's free pages go back to the system.
    /// </summary>
    private static void ReleaseStartupMemory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (OperatingSystem.IsLinux()) Native.LibC.MallocTrim(0);
    }
}
