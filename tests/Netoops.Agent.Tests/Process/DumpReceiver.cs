using System.Net;
using System.Net.Sockets;
using Netoops.Protocol.Packets;

namespace Netoops.Agent.Tests.Process;

/// <summary>A UDP socket on loopback that reassembles netoops v3 dumps with the protocol's decoder and assembler.</summary>
public sealed class DumpReceiver : IDisposable
{
    private readonly UdpClient _udp;
    private readonly HashSet<ushort> _completed = [];

    public DumpReceiver(IPAddress? address = null)
    {
        _udp = new UdpClient(new IPEndPoint(address ?? IPAddress.Loopback, 0));
        Port = ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;
    }

    public int Port { get; }

    /// <summary>When the first datagram of the last dump arrived.</summary>
    public DateTime FirstDatagramUtc { get; private set; }

    /// <summary>Receives until one dump is complete; throws after <paramref name="timeout"/>.</summary>
    public async Task<AssembledDump> NextDumpAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var assemblers = new Dictionary<ushort, DumpAssembler>();
        while (true)
        {
            var datagram = await _udp.ReceiveAsync(cts.Token);
            if (assemblers.Count == 0) FirstDatagramUtc = DateTime.UtcNow;
            if (IsRetransmissionOfCompleted(datagram.Buffer)) continue;
            if (Add(datagram.Buffer, assemblers) is { } complete)
            {
                _completed.Add(complete.Header.DumpId);
                return complete;
            }
        }
    }

    private static AssembledDump? Add(byte[] datagram, Dictionary<ushort, DumpAssembler> assemblers)
    {
        Assert.Equal(PacketError.None, NetoopsPacket.TryDecode(datagram, out var packet));
        if (!assemblers.TryGetValue(packet.DumpId, out var assembler))
            assemblers[packet.DumpId] = assembler = new DumpAssembler();
        assembler.Add(packet);
        return assembler.IsComplete ? assembler.Result() : null;
    }

    /// <summary>True when nothing but retransmissions of dumps already received arrives within <paramref name="quiet"/>.</summary>
    public async Task<bool> StaysQuietAsync(TimeSpan quiet)
    {
        using var cts = new CancellationTokenSource(quiet);
        try
        {
            while (true)
            {
                var datagram = await _udp.ReceiveAsync(cts.Token);
                if (!IsRetransmissionOfCompleted(datagram.Buffer)) return false;
            }
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    // The kernel sends every dump 3 times: rounds 2 and 3 of a dump already returned are expected.
    private bool IsRetransmissionOfCompleted(byte[] datagram)
        => NetoopsPacket.TryDecode(datagram, out var packet) == PacketError.None && _completed.Contains(packet.DumpId);

    public void Dispose() => _udp.Dispose();
}
