using System.Runtime.InteropServices;

namespace Netoops.Collector.Ingest.Native;

/// <summary>
/// The calling thread's scheduling niceness. On Linux, setpriority(PRIO_PROCESS, tid) changes one
/// thread, not the whole process. Lowering a nice value needs CAP_SYS_NICE; raising it, nothing.
/// </summary>
internal static partial class ThreadNice
{
    private const int PrioProcess = 0;

    /// <summary>True when the calling thread now runs at <paramref name="nice"/>.</summary>
    public static bool TrySet(int nice) => setpriority(PrioProcess, gettid(), nice) == 0;

    /// <summary>The calling thread's nice value, or null when it cannot be read.</summary>
    public static int? Current()
    {
        Marshal.SetLastPInvokeError(0);
        var nice = getpriority(PrioProcess, gettid());
        return nice == -1 && Marshal.GetLastPInvokeError() != 0 ? null : nice;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setpriority(int which, int who, int prio);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getpriority(int which, int who);

    [LibraryImport("libc")]
    private static partial int gettid();
}
