using System.Net.Sockets;
using System.Runtime.InteropServices;
using Netoops.Actors.Ports;

namespace Netoops.Actors.Linux;

/// <summary>
/// The real link event source: an AF_NETLINK/NETLINK_ROUTE socket joined to RTMGRP_LINK, read on a
/// dedicated thread. The runtime refuses <c>new Socket(AddressFamily 16)</c>, so the socket is made
/// with libc and wrapped. An RTM_GETLINK dump first fills the index → name table so that later
/// renames and enslavements can be told apart from new devices. The table belongs to the source,
/// not to one listener: a listener restarted after a failure compares its dump with it.
/// </summary>
public sealed partial class RtnetlinkLinkEvents : ILinkEventSource
{
    private const int AfNetlink = 16;
    private const int SockRaw = 3;
    private const int SockCloexec = 0x80000;
    private const int NetlinkRoute = 0;
    private const uint RtmgrpLink = 1;
    private const uint DumpSequence = 1;
    private const int SoRcvBufForce = 33;
    // The default (~200 KiB) overflows (ENOBUFS) when a host adds many links at once, and every
    // overflow costs a listener restart; 1 MiB holds thousands of link messages.
    private const int ReceiveBufferBytes = 1 << 20;
    private readonly LinkTable _table = new();

    public IDisposable Start(Action<LinkEvent> onEvent, Action<Exception> onFailure)
    {
        var socket = OpenSocket();
        var listener = new Listener(socket, _table, onEvent, onFailure);
        try
        {
            socket.Send(RtnetlinkParser.DumpRequest(DumpSequence));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var thread = new Thread(listener.Run) { IsBackground = true, Name = "rtnetlink" };
        thread.Start();
        return listener;
    }

    private static Socket OpenSocket()
    {
        var fd = NativeSocket(AfNetlink, SockRaw | SockCloexec, NetlinkRoute);
        if (fd < 0) throw new SocketException(Marshal.GetLastPInvokeError());
        Span<byte> address = stackalloc byte[12]; // sockaddr_nl: family u16, pad u16, pid u32, groups u32
        address.Clear();
        BitConverter.TryWriteBytes(address, (ushort)AfNetlink);
        BitConverter.TryWriteBytes(address[8..], RtmgrpLink);
        if (Bind(fd, ref MemoryMarshal.GetReference(address), address.Length) < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            Close(fd);
            throw new SocketException(error);
        }
        var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        try { socket.SetRawSocketOption((int)SocketOptionLevel.Socket, SoRcvBufForce, BitConverter.GetBytes(ReceiveBufferBytes)); }
        catch (SocketException) { socket.ReceiveBufferSize = ReceiveBufferBytes; } // without CAP_NET_ADMIN: capped by rmem_max
        return socket;
    }

    /// <summary>
    /// Reads on its own thread, which also closes the socket when it stops: closing a socket that
    /// another thread is blocked on in recv() is not guaranteed to wake it (a netlink socket has no
    /// shutdown to interrupt it), so the thread wakes once a second to see whether it should stop.
    /// </summary>
    private sealed class Listener(Socket socket, LinkTable table, Action<LinkEvent> onEvent, Action<Exception> onFailure) : IDisposable
    {
        private static readonly TimeSpan StopCheck = TimeSpan.FromSeconds(1);
        private volatile bool _stopped;

        public void Run()
        {
            var buffer = new byte[64 * 1024];
            var dumping = true;
            lock (table) table.BeginSync();
            socket.ReceiveTimeout = (int)StopCheck.TotalMilliseconds;
            try
            {
                while (!_stopped)
                {
                    int read;
                    try { read = socket.Receive(buffer); }
                    catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock) { continue; }
                    if (_stopped) break;
                    var batch = RtnetlinkParser.Parse(buffer.AsSpan(0, read));
                    // Locked only against a listener being replaced: the old thread may still finish its batch.
                    lock (table) dumping = Deliver(batch, dumping);
                }
            }
            catch (Exception ex) when (!_stopped)
            {
                // ENOBUFS (events overran the socket) lands here too: the notifier restarts us with a fresh dump.
                onFailure(ex);
            }
            catch (Exception) when (_stopped)
            {
                // Stopped while a batch was being delivered: nobody listens any more.
            }
            finally
            {
                socket.Dispose();
            }
        }

        // Dump entries and live events are applied in the order the socket gave them: the kernel
        // builds each dump entry when it is read, so an event queued after it is newer.
        private bool Deliver(RtnetlinkParser.Batch batch, bool dumping)
        {
            foreach (var link in batch.Links)
            {
                var events = dumping && link.Sequence == DumpSequence ? table.Sync(link) : table.Apply(link);
                foreach (var e in events) onEvent(e);
            }
            if (!dumping || !batch.Done) return dumping;
            foreach (var e in table.EndSync(batch.Failed)) onEvent(e);
            return false;
        }

        /// <summary>Returns at once; the thread sees it within <see cref="StopCheck"/> and closes the socket.</summary>
        public void Dispose() => _stopped = true;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int NativeSocket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static partial int Bind(int fd, ref byte address, int length);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
