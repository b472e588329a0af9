using System.Text;
using BenchmarkDotNet.Attributes;
using Netoops.Protocol.Kmsg;
using Netoops.Protocol.Netconsole;
using Netoops.Protocol.Packets;

namespace Netoops.Benchmarks.Protocol;

/// <summary>
/// The collector's per-datagram costs. Run:
/// dotnet run -c Release --project tests/Netoops.Benchmarks -- --filter '*WireBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class WireBenchmarks
{
    private const int DecodeBatch = 1024;

    private byte[][] _packets = [];
    private ReadOnlyMemory<byte>[] _threeRounds = [];
    private ReadOnlyMemory<byte> _extended;

    [GlobalSetup]
    public void Setup()
    {
        var log = new byte[128 * PacketLayout.DataSize];
        for (var i = 0; i < log.Length; i++)
            log[i] = (byte)(i % 64 == 63 ? '\n' : 'a' + i % 26);
        var header = new DumpHeader { DumpId = 1, BootId = 2, KernelVersion = "6.1.0-56-cloud-amd64", Registers = X86Registers.AtKernelIp(0xffffffff81000000) };
        var dump = DumpSlicer.Slice(header, log.AsSpan(0, 40_000), log.AsSpan(40_000));
        _packets = Enumerable.Range(0, DecodeBatch).Select(i => dump.Packets[i % dump.Packets.Count].ToArray()).ToArray();
        _threeRounds = dump.SendOrder(3).ToArray();
        _extended = Encoding.ASCII.GetBytes(
            "6.1.0-56-cloud-amd64,4,1234,6229901,-,caller=T141;WARNING: CPU: 0 PID: 141 at drivers/provoke/provoke.c:9 provoke_warn+0x11/0x20 [provoke]\n rack=b7\n cpu=0\n taskname=sh\n");
    }

    /// <summary>Decode + validate one packet and read what a collector keys on (per packet: ns = this / 1024).</summary>
    [Benchmark(OperationsPerInvoke = DecodeBatch)]
    public long DecodeAndValidatePacket()
    {
        long sum = 0;
        foreach (var datagram in _packets)
        {
            if (NetoopsPacket.TryDecode(datagram, out var packet) == PacketError.None)
                sum += packet.PacketNo + packet.BootId + packet.DumpId + packet.Data.Length;
        }
        return sum;
    }

    /// <summary>A 128-packet dump sent 3 times (384 datagrams), reassembled to its 128 KiB text.</summary>
    [Benchmark]
    public int Assemble128PacketDumpSentThreeTimes()
    {
        var assembler = new DumpAssembler();
        foreach (var datagram in _threeRounds)
        {
            NetoopsPacket.TryDecode(datagram.Span, out var packet);
            assembler.Add(packet);
        }
        return assembler.Text().Length;
    }

    /// <summary>One extended netconsole message with release, caller, userdata and sysdata.</summary>
    [Benchmark]
    public int ParseExtendedMessage() =>
        ExtendedParser.TryParse(_extended, out var message) == RecordError.None ? message.Record.Dictionary.Count : -1;
}
