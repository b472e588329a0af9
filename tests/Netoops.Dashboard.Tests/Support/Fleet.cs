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
            Registers = Registers(),
        };
        var dump = DumpSlicer.Slice(header, Encoding.UTF8.GetBytes(log));
        foreach (var packet in onlyNewest is { } n ? dump.Packets.Take(n) : dump.Packets)
            await _socket.SendAsync(packet, collector);
        return dump.Packets.Count;
    }

    /// <summary>The registers of the NULL dereference in <see cref="CrashLogs.NullDeref"/>, as the agent would send them.</summary>
    private static X86Registers Registers()
    {
        var r = X86Registers.AtKernelIp(0xffffffffc0a01011);
        r[X86Register.Sp] = 0xffffd33b0059bd08;
        r[X86Register.Ss] = 0x18;
        r[X86Register.Flags] = 0x10286;
        r[X86Register.Bx] = 0xffff8a0c41e3e000;
        r[X86Register.Dx] = 1;
        r[X86Register.Si] = 0xffffffffc0a01000;
        r[X86Register.Di] = 0xffff8a0c41e3e000;
        r[X86Register.Bp] = 0xffffd33b0059bd50;
        r[X86Register.R12] = 0xdead000000000100;
        r[X86Register.OrigAx] = ulong.MaxValue;
        return r;
    }

    public void Dispose() => _socket.Dispose();
}
