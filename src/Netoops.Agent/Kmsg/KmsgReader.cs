using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Netoops.Agent.Native;

namespace Netoops.Agent.Kmsg;

/// <summary>
/// Reads kernel log records from /dev/kmsg, or from any path that produces the same text (a FIFO
/// in tests). Reads are 8 KiB or more because /dev/kmsg refuses smaller ones with EINVAL. A read
/// that fails with EPIPE means the ring overwrote records before we read them: the gap is counted
/// and logged and reading goes on with the oldest record still there.
/// </summary>
public sealed class KmsgReader
{
    public const int ReadBufferBytes = 16 * 1024;
    // Only a plain file (a replay) is re-read after this pause at its end; devices and FIFOs wake the reader.
    private const int PlainFileRetryMs = 200;

    private readonly string _path;
    private readonly bool _replayHistory;
    private readonly ILogger _log;
    private long _records;
    private long _gaps;

    public KmsgReader(string path, bool replayHistory, ILogger? log = null)
    {
        _path = path;
        _replayHistory = replayHistory;
        _log = log ?? NullLogger.Instance;
    }

    public long Records => Interlocked.Read(ref _records);

    /// <summary>EPIPE reads: each one is a run of records lost before they could be read.</summary>
    public long Gaps => Interlocked.Read(ref _gaps);

    /// <summary>
    /// Blocks the calling thread, handing each complete record (header line plus dictionary lines,
    /// each ending in '\n') to <paramref name="onRecord"/>, until <paramref name="ct"/> is cancelled.
    /// Run it on a dedicated thread.
    /// </summary>
    public unsafe void Run(Action<string> onRecord, CancellationToken ct)
    {
        var buffer = new byte[ReadBufferBytes];
        var completed = new List<string>();
        var framer = new KmsgFramer();
        var fd = OpenAtStart();
        // Cancellation writes to this eventfd, so the reader sleeps in poll() without a timeout:
        // an idle agent wakes for nothing.
        var wake = LibC.EventFd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (wake < 0)
            throw new IOException($"eventfd failed: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        var cancel = ct.Register(() => Signal(wake));
        try
        {
            fixed (byte* p = buffer)
            {
                while (!ct.IsCancellationRequested)
                {
                    if (!WaitReadable(fd, wake)) continue;

                    var n = LibC.Read(fd, p, buffer.Length);
                    if (n < 0)
                    {
                        var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                        if (errno == LibC.EPIPE)
                        {
                            Interlocked.Increment(ref _gaps);
                            _log.LogWarning("kmsg: records were overwritten before they were read (gap {Gaps})", Gaps);
                            continue;
                        }
                        if (errno is LibC.EAGAIN or LibC.EINTR) continue;
                        throw new IOException($"reading {_path} failed: errno {errno}");
                    }
                    if (n == 0)
                    {
                        // End of file: a FIFO's writer went away (reopen so poll() waits for the
                        // next writer instead of reporting hang-up forever), or a plain file ended.
                        framer.Flush(completed);
                        Deliver(completed, onRecord);
                        if (!IsSeekable(fd))
                        {
                            LibC.Close(fd);
                            fd = Open();
                        }
                        else
                        {
                            ct.WaitHandle.WaitOne(PlainFileRetryMs);
                        }
                        continue;
                    }

                    framer.Push(new ReadOnlySpan<byte>(p, (int)n), completed);
                    if (!HasMore(fd))
                        framer.Flush(completed);
                    Deliver(completed, onRecord);
                }
            }
        }
        finally
        {
            cancel.Dispose(); // no Signal into a closed (or reused) descriptor
            LibC.Close(fd);
            LibC.Close(wake);
        }
    }

    private static unsafe void Signal(int eventFd)
    {
        ulong one = 1;
        LibC.Write(eventFd, (byte*)&one, sizeof(ulong));
    }

    private void Deliver(List<string> completed, Action<string> onRecord)
    {
        foreach (var record in completed)
        {
            Interlocked.Increment(ref _records);
            onRecord(record);
        }
        completed.Clear();
    }

    private int OpenAtStart()
    {
        var fd = Open();
        // By default only what happens from now on: the old ring was either shipped by the
        // previous run or is history (pstore covers the crash that ended the previous boot).
        if (!_replayHistory && IsSeekable(fd))
            LibC.Seek(fd, 0, LibC.SEEK_END);
        return fd;
    }

    private int Open()
    {
        // O_NONBLOCK: opening a FIFO with no writer must not hang the agent's start.
        var fd = LibC.Open(_path, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0)
            throw new IOException($"cannot open {_path}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
        return fd;
    }

    private static bool IsSeekable(int fd) => LibC.Seek(fd, 0, LibC.SEEK_CUR) >= 0;

    /// <summary>Sleeps until the log has something (a record, an end of file, a hang-up) or <paramref name="wake"/> is signalled.</summary>
    private static unsafe bool WaitReadable(int fd, int wake)
    {
        var pfds = stackalloc LibC.PollFd[2];
        pfds[0] = new LibC.PollFd { Fd = fd, Events = LibC.POLLIN };
        pfds[1] = new LibC.PollFd { Fd = wake, Events = LibC.POLLIN };
        var ready = LibC.Poll(pfds, 2, -1);
        return ready > 0 && pfds[0].Revents != 0;
    }

    private static unsafe bool HasMore(int fd)
    {
        var pfd = new LibC.PollFd { Fd = fd, Events = LibC.POLLIN };
        return LibC.Poll(&pfd, 1, 0) > 0 && pfd.Revents != 0;
    }
}
