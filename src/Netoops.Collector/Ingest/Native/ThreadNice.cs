using System.Runtime.InteropServices;

namespace Netoops.Collector.Ingest.Native;

/// <summary>
/// The calling thread's scheduling priority. On Linux, setpriority(PRIO_PROCESS, tid) and
/// sched_setscheduler(tid) change one thread, not the whole process. Lowering a nice value needs
/// CAP_SYS_NICE; moving to SCHED_IDLE or raising a nice value needs nothing.
/// </summary>
internal static partial class ThreadNice
{
    private const int PrioProcess = 0;
    private const int SchedIdle = 5;

    /// <summary>True when the calling thread now runs at <paramref name="nice"/>.</summary>
    public static bool TrySet(int nice) => setpriority(PrioProcess, gettid(), nice) == 0;

    /// <summary>
    /// True when the calling thread is now SCHED_IDLE: it runs only on CPU time no ordinary thread
    /// wants, and an ordinary thread that wakes takes the CPU from it at once (a nice value, even
    /// 19, still earns a share and a time slice).
    /// </summary>
    public static unsafe bool TrySetIdlePolicy()
    {
        var priority = 0; // struct sched_param: its one field, which SCHED_IDLE requires to be 0
        return sched_setscheduler(gettid(), SchedIdle, &priority) == 0;
    }

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

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int sched_setscheduler(int pid, int policy, int* param);

    [LibraryImport("libc")]
    private static partial int gettid();
}
