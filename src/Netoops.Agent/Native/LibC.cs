using System.Runtime.InteropServices;

namespace Netoops.Agent.Native;

/// <summary>
/// The few libc calls the kmsg reader needs. .NET's FileStream cannot express what /dev/kmsg
/// requires: one record per read(), EPIPE as "records lost, go on", O_NONBLOCK opens of a FIFO
/// that has no writer yet, and poll() on the log and an eventfd so that a blocked read wakes only for a record or a cancellation), and fsync of a directory after a rename.
/// </summary>
internal static partial class LibC
{
    public const int O_RDONLY = 0;
    public const int O_NONBLOCK = 0x800;
    public const int O_CLOEXEC = 0x80000;
    public const int O_DIRECTORY = 0x10000;

    public const int SEEK_CUR = 1;
    public const int SEEK_END = 2;

    public const short POLLIN = 0x1;

    public const int EFD_NONBLOCK = 0x800;
    public const int EFD_CLOEXEC = 0x80000;

    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EINVAL = 22;
    public const int EPIPE = 32;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "read", SetLastError = true)]
    public static extern unsafe nint Read(int fd, byte* buffer, nint count);

    [DllImport("libc", EntryPoint = "lseek", SetLastError = true)]
    public static extern long Seek(int fd, long offset, int whence);

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static extern unsafe int Poll(PollFd* fds, nuint count, int timeoutMs);

    [DllImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    public static extern int EventFd(uint initial, int flags);

    [DllImport("libc", EntryPoint = "write", SetLastError = true)]
    public static extern unsafe nint Write(int fd, byte* buffer, nint count);

    /// <summary>Returns the C heap's free memory to the system; 1 when some was released.</summary>
    [DllImport("libc", EntryPoint = "malloc_trim")]
    public static extern int MallocTrim(nuint pad);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    public static extern int Close(int fd);
}
