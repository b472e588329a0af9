using System.Buffers;
using System.Runtime.CompilerServices;

namespace Netoops.Collector.Netconsole;

/// <summary>
/// A cheap first look at every netconsole line: does it contain one of the markers that open a
/// kernel crash report (REFERENCE §6)? Only then does a session start capturing, and analysis
/// decides on the captured lines whether there was a crash. One vectorised multi-substring search
/// per line keeps the stream fast: about a tenth of what the analysis library's streaming
/// <c>CrashDetector</c> spends on an ordinary line (NetconsoleSinkBenchmarks).
/// </summary>
public static class CrashTrigger
{
    private static readonly SearchValues<string> StartMarkers = SearchValues.Create(
    [
        "------------[ cut here ]------------", "BUG: ", "WARNING: ", "Oops: ", "general protection fault",
        "kernel BUG at", "invalid opcode: ", "Kernel panic - not syncing", "INFO: task ", "soft lockup",
        "hard LOCKUP", "Out of memory: Killed process", "Unable to handle kernel", "divide error: ",
        "rcu_sched self-detected stall", "rcu: INFO: rcu_", "UBSAN: ", "KASAN: ", "kernel tried to execute",
    ], StringComparison.Ordinal);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool OpensReport(ReadOnlySpan<char> line) => line.IndexOfAny(StartMarkers) >= 0;

    /// <summary>The kernel's closing line of a report (`---[ end trace ... ]---`, `---[ end Kernel panic ...`).</summary>
    public static bool ClosesReport(ReadOnlySpan<char> line) => line.Contains("---[ end ", StringComparison.Ordinal);
}
