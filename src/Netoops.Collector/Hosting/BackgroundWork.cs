using Netoops.Collector.Ingest.Native;

namespace Netoops.Collector.Hosting;

/// <summary>
/// Crash analysis and database writes run below the receive path. A storm of dumps can ask for
/// more analysis than the machine has (a 32 KiB log costs far more to title than its 32 packets
/// cost to reassemble), and at equal priority analysis took the CPU the dump shards needed: packets
/// were shed before their dumps were whole. Even at nice 19 it kept about a fifth of the core
/// (time slices, and credit from sleeping), so these threads are SCHED_IDLE: they get what the
/// receive loops and shards leave, and the analysis backlog is what overflows (counted in
/// <c>netoops_dumps_dropped_total</c>). On a machine with CPU to spare this changes nothing.
/// Needs no privilege; where the policy is refused, nice 19 is the fallback.
/// </summary>
public static class BackgroundWork
{
    /// <summary>The dispatcher (threads of its own) for analysis actors, so that lowering them leaves the shards' threads alone.</summary>
    public const string Dispatcher = "netoops-analysis-dispatcher";

    public const int FallbackNice = 19;

    [ThreadStatic] private static bool t_lowered;

    public static string DispatcherHocon(int threads) => $$"""
        {{Dispatcher}} {
          type = ForkJoinDispatcher
          throughput = 10
          dedicated-thread-pool { thread-count = {{Math.Max(threads, 1)}}, threadtype = background }
        }
        """;

    /// <summary>Lowers the calling thread, once per thread (dispatcher threads are reused across messages).</summary>
    public static void Lower()
    {
        if (t_lowered) return;
        t_lowered = true;
        if (!ThreadNice.TrySetIdlePolicy()) ThreadNice.TrySet(FallbackNice);
    }
}
