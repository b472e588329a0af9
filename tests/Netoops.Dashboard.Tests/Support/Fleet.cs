using System.Net;
using System.Net.Sockets;
using System.Text;
using Netoops.Protocol.Packets;

namespace Netoops.Dashboard.Tests.Support;

/// <summary>
/// Machines of a simulated fleet, each sending netoops dumps over real UDP from its own loopback
/// address (127.0.0.N), so the collector sees one host per machine.
/// </summary>
internal sealed class Machine(string address, string kernel, X86Cpu cpu, string blob) : IDisposable
{
    private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Parse(address), 0));
    private ushort _dumps;

    public string Address { get; } = address;
    public string Kernel { get; } = kernel;

    /// <summary>Slices the log as the kernel does and sends every packet once (or only the newest <paramref name="onlyNewest"/>).</summary>
    public async Task<int> SendDumpAsync(IPEndPoint collector, string log, int? onlyNewest = null)
    {
        var header = new DumpHeader
        {
            DumpId = ++_dumps,
            BootId = 1,
            Type = DumpType.Oops,
            KernelVersion = Kernel,
            UserBlob = DumpHeader.BlobFromText(blob),
            Cpu = cpu,
            Registers = X86Registers.AtKernelIp(0xffffffffc0a01011),
        };
        var dump = DumpSlicer.Slice(header, Encoding.UTF8.GetBytes(log));
        foreach (var packet in onlyNewest is { } n ? dump.Packets.Take(n) : dump.Packets)
            await _socket.SendAsync(packet, collector);
        return dump.Packets.Count;
    }

    public void Dispose() => _socket.Dispose();
}
