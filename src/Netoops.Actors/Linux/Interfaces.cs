using System.Runtime.InteropServices;
using System.Text;

namespace Netoops.Actors.Linux;

/// <summary>Brings a device administratively up (SIOCSIFFLAGS), as netpoll_setup opens a down device.</summary>
internal static partial class Interfaces
{
    private const int AfInet = 2;
    private const int SockDgram = 2;
    private const ulong SiocGifFlags = 0x8913;
    private const ulong SiocSifFlags = 0x8914;
    private const short IffUp = 0x1;
    private const int IfReqSize = 40; // struct ifreq: char name[16] + a 24-byte union

    /// <summary>Returns null on success, else the errno text.</summary>
    public static string? SetUp(string name)
    {
        var fd = Socket(AfInet, SockDgram, 0);
        if (fd < 0) return Error();
        try
        {
            Span<byte> ifreq = stackalloc byte[IfReqSize];
            ifreq.Clear();
            Encoding.ASCII.GetBytes(name.AsSpan(0, Math.Min(name.Length, 15)), ifreq);
            if (Ioctl(fd, SiocGifFlags, ref MemoryMarshal.GetReference(ifreq)) < 0) return Error();
            var flags = MemoryMarshal.Read<short>(ifreq[16..]);
            if ((flags & IffUp) != 0) return null;
            MemoryMarshal.Write(ifreq[16..], (short)(flags | IffUp));
            return Ioctl(fd, SiocSifFlags, ref MemoryMarshal.GetReference(ifreq)) < 0 ? Error() : null;
        }
        finally
        {
            Close(fd);
        }
    }

    private static string Error() => Marshal.GetLastPInvokeErrorMessage();

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, ulong request, ref byte ifreq);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
