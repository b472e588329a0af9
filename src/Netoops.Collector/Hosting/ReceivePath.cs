using Netoops.Collector.Ingest.Native;

namespace Netoops.Collector.Hosting;

/// <summary>
/// The receive path (the UDP receive threads and the dump shards) runs above the rest of the
/// collector when the process may raise it (CAP_SYS_NICE). A socket buffer holds only tens of
/// milliseconds of a fleet's traffic, and at equal priority the scheduler shared the CPU half and
/// half with whatever else was runnable: the runtime's tiered JIT, a first HTTP request, and in a
/// crash storm the analysis of 32 KiB logs, which asks for more CPU than reassembly does. Datagrams
/// overflowed the socket and packets were shed before their dumps were whole. Raised, the receive
/// path takes what it needs and analysis gets the rest; a storm's overflow then shows as analysis
/// backlog dropped (<c>netoops_dumps_dropped_total</c>). The rest of the collector keeps the
/// ordinary priority, so other processes on the machine do not starve it.
/// </summary>
public static class ReceivePath
{
    /// <summary>The receive threads: about 90 % of a contended core against one ordinary thread; the rest of the process still runs.</summary>
    public const int Nice = -10;

    /// <summary>
    /// The shards, between the receive threads and the rest: their inboxes hold a few hundred
    /// milliseconds of packets where a socket buffer holds tens, so the receive threads come first.
    /// </summary>
    public const int ShardNice = -5;

    /// <summary>The dump shards' dispatcher: threads of their own, so that raising them leaves the thread pool alone.</summary>
    public const string ShardDispatcher = "netoops-shard-dispatcher";

    [ThreadStatic] private static bool t_raised;

    public static string ShardDispatcherHocon(int threads) => $$"""
        {{ShardDispatcher}} {
          type = ForkJoinDispatcher
          throughput = 100
          dedicated-thread-pool { thread-count = {{Math.Max(threads, 1)}}, threadtype = background }
        }
        """;

    /// <summary>Raises the calling thread; true when it now runs at <see cref="Nice"/>.</summary>
    public static bool Raise() => ThreadNice.TrySet(Nice);

    /// <summary>Raises the calling shard thread once (dispatcher threads are reused across messages).</summary>
    public static void RaiseShardThreadOnce()
    {
        if (t_raised) return;
        t_raised = true;
        ThreadNice.TrySet(ShardNice);
    }
}
