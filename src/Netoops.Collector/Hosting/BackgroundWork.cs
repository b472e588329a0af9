using Netoops.Collector.Ingest.Native;

namespace Netoops.Collector.Hosting;

/// <summary>
/// Crash analysis and database writes run below the receive path, at nice 10. A storm of dumps
/// can ask for more analysis than the machine has (a 32 KiB log costs far more to title than its 32
/// packets cost to reassemble), and at equal priority analysis took the CPU the dump shards
/// needed, and its allocations brought collections that paused the receive thread: packets were
/// shed before their dumps were whole and the socket overflowed. Lowered, analysis gets roughly a
/// tenth of a contended core and the rest of any idle one; a storm's overflow shows as analysis
/// backlog dropped (<c>netoops_dumps_dropped_total</c>). Not lower: SCHED_IDLE and nice 19 measured
/// no better, and would let any ordinary process on the machine starve analysis. Raising niceness
/// needs no privilege.
/// </summary>
public static class BackgroundWork
{
    /// <summary>The dispatcher (threads of its own) for analysis actors, so that lowering them leaves the shards' threads alone.</summary>
    public const string Dispatcher = "netoops-analysis-dispatcher";

    public const int Nice = 10;

    [ThreadStatic] private static bool t_lowered;

    public static string DispatcherHocon(int threads) => $$"""
        {{Dispatcher}} {
          type = ForkJoinDispatcher
          throughput = 10
          dedicated-thread-pool { thread-count = {{Math.Max(threads, 1)}}, threadtype = background }
        }
        """;

    /// <summary>Lowers a thread started for one piece of background work (it ends with it).</summary>
    public static void LowerDedicatedThread() => ThreadNice.TrySet(Nice);

    /// <summary>
    /// Lowers the calling thread once (dispatcher threads are reused across messages), and only if
    /// it is one of <see cref="Dispatcher"/>'s (they are named after it): an analyst started
    /// elsewhere, as in tests, runs on the shared thread pool, whose threads must keep their priority.
    /// </summary>
    public static void LowerIfOwnThread()
    {
        if (t_lowered) return;
        t_lowered = true;
        if (Thread.CurrentThread.Name?.StartsWith(Dispatcher, StringComparison.Ordinal) == true) ThreadNice.TrySet(Nice);
    }
}
