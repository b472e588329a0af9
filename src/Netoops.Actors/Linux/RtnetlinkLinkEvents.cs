using System.Net.Sockets;
using System.Runtime.InteropServices;
using Netoops.Actors.Ports;

namespace Netoops.Actors.Linux;

/// <summary>
/// The real link event source: an AF_NETLINK/NETLINK_ROUTE socket joined to RTMGRP_LINK, read on a
/// dedicated thread. The runtime refuses <c>new Socket(AddressFamily 16)</c>, so the socket is made
/// with libc and wrapped. An RTM_GETLINK dump first fills the index → name table so that later
/// renames and enslavements can be told apart from new devices.
/// </summary>
public sealed partial class RtnetlinkLinkEvents : ILinkEventSource
{
    private const int AfNetlink = 16;
    private const int SockRaw = 3;
    private const int SockCloexec = 0x80000;
    private const int NetlinkRoute = 0;
    private const uint RtmgrpLink = 1;
    private const uint DumpSequence = 1;

    public IDisposable Start(Action<LinkEvent> onEvent, Action<Exception> onFailure)
    {
        var socket = OpenSocket();
        var listener = new Listener(socket, onEvent, onFailure);
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
        return new Socket(new SafeSocketHandle(fd, ownsHandle: true));
    }

    private sealed class Listener(Socket socket, Action<LinkEvent> onEvent, Action<Exception> onFailure) : IDisposable
    {
        private readonly LinkTable _table = new();
        private volatile bool _stopped;

        public void Run()
        {
            var buffer = new byte[64 * 1024];
            var dumping = true;
            try
            {
                while (!_stopped)
                {
                    var read = socket.Receive(buffer);
                    var batch = RtnetlinkParser.Parse(buffer.AsSpan(0, read));
                    foreach (var link in batch.Links)
                    {
                        if (dumping && link.Sequence == DumpSequence) _table.Seed(link);
                        else foreach (var e in _table.Apply(link)) onEvent(e);
                    }
                    if (batch.Done) dumping = false;
                }
            }
            catch (Exception ex) when (!_stopped)
            {
                // ENOBUFS (events overran the socket) lands here too: the notifier restarts us with a fresh dump.
                onFailure(ex);
            }
            catch (Exception) when (_stopped)
            {
                // Disposed while blocked in Receive: the normal way to stop.
            }
        }

        public void Dispose()
        {
            _stopped = true;
            socket.Dispose();
        }
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int NativeSocket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static partial int Bind(int fd, ref byte address, int length);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
