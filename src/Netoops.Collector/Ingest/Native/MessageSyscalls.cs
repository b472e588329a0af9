using System.Runtime.InteropServices;

namespace Netoops.Collector.Ingest.Native;

/// <summary>
/// recvmmsg/sendmmsg and the structures they read, as Linux lays them out on 64-bit targets.
/// .NET's Socket moves one datagram per system call; at hundreds of thousands of datagrams a
/// second the call itself is the cost, so the hot loops move up to a batch per call.
/// </summary>
internal static unsafe partial class MessageSyscalls
{
    public const int MsgTrunc = 0x20;
    public const int MsgDontWait = 0x40;
    /// <summary>Block for the first datagram only, then take what is already queued.</summary>
    public const int MsgWaitForOne = 0x10000;

    public const int EIntr = 4;
    public const int EAgain = 11;
    public const int ENoBufs = 105;

    public const int AfInet = 2;
    public const int AfInet6 = 10;
    public const int IpProtoIp = 0;
    public const int IpPktInfo = 8;

    [StructLayout(LayoutKind.Sequential)]
    public struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    /// <summary>struct msghdr (56 bytes).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MessageHeader
    {
        public byte* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public byte* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>struct mmsghdr (64 bytes): a msghdr and the byte count the kernel moved.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MultiMessageHeader
    {
        public MessageHeader Header;
        public uint Length;
    }

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int ReceiveMany(int socket, MultiMessageHeader* messages, uint count, int flags, void* timeout);

    [LibraryImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int SendMany(int socket, MultiMessageHeader* messages, uint count, int flags);
}
