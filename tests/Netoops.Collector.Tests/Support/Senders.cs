using System.Net;
using System.Net.Sockets;
using System.Text;
using Netoops.Protocol.Packets;

namespace Netoops.Collector.Tests.Support;

/// <summary>Real UDP senders: netoops dumps sliced as the kernel slices them, and raw datagrams.</summary>
internal static class Senders
{
    public static DumpHeader Header(ushort dumpId = 42, uint bootId = 7, string blob = "rack=b12", DumpType type = DumpType.Oops) => new()
    {
        DumpId = dumpId,
        BootId = bootId,
        Type = type,
        KernelVersion = "6.1.0-56-cloud-amd64",
        UserBlob = DumpHeader.BlobFromText(blob),
        Cpu = new X86Cpu(0, 6, 85, 4),
        Registers = X86Registers.AtKernelIp(0xffffffffc0a01011),
    };

    public static SlicedDump Slice(string log, DumpHeader? header = null) =>
        DumpSlicer.Slice(header ?? Header(), Encoding.UTF8.GetBytes(log));

    public static async Task SendAsync(IPEndPoint target, IEnumerable<ReadOnlyMemory<byte>> datagrams, UdpClient? from = null)
    {
        using var own = from is null ? new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)) : null;
        var socket = from ?? own!;
        foreach (var datagram in datagrams)
            await socket.SendAsync(datagram, target);
    }
}
