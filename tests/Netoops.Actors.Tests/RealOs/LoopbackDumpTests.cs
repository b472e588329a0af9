using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Netoops.Actors.Dumps;
using Netoops.Actors.Linux;
using Netoops.Actors.Subsystems;
using Netoops.Actors.Targets;
using Netoops.Protocol.Packets;

namespace Netoops.Actors.Tests.RealOs;

/// <summary>A whole dump through the real actors and real sockets on loopback, decoded at the receiver.</summary>
public sealed class LoopbackDumpTests : ActorTest
{
    [Fact]
    public void A_dump_reaches_a_loopback_collector_three_times_newest_chunk_first()
    {
        using var collector = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        collector.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        collector.ReceiveTimeout = 5000;
        collector.ReceiveBufferSize = 1 << 20;
        var port = ((IPEndPoint)collector.LocalEndPoint!).Port;

        var netoops = Sys.ActorOf(TargetsSubsystem.Props(SubsystemOptions.Netoops(new LinuxNetpoll())));
        netoops.Tell(new MakeTarget("lo"), TestActor);
        ExpectMsg<TargetMade>();
        foreach (var (attribute, value) in new[] { ("dev_name", "lo"), ("remote_ip", "127.0.0.1"), ("remote_port", $"{port}"), ("local_port", "0"), ("enabled", "1") })
        {
            netoops.Tell(new WriteAttribute("lo", attribute, value), TestActor);
            ExpectMsg<Accepted>();
        }
        netoops.Tell(new WriteSetting("boot_id", "31337"), TestActor);
        ExpectMsg<Accepted>();

        var log = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 60).Select(i => $"[{i,5}] line {i}\n")) + "Kernel panic - not syncing: test\n");
        var coordinator = Sys.ActorOf(DumpCoordinator.Props(DumpCoordinatorOptions.For(netoops, "6.1.0-loop")));
        coordinator.Tell(new DumpRequested(DumpReason.Panic, LogSnapshot.Of(log)), TestActor);
        var report = ExpectMsg<DumpReport>();
        var count = DumpSlicer.ChunkCount(log.Length);
        Assert.Equal(new DumpTargetResult("lo", DumpTargetOutcome.Sent, 3 * count, 0), Assert.Single(report.Targets));

        var numbers = new List<uint>();
        var buffer = new byte[2048];
        for (var i = 0; i < 3 * count; i++)
        {
            var n = collector.Receive(buffer);
            Assert.Equal(PacketError.None, NetoopsPacket.TryDecode(buffer.AsSpan(0, n), out var packet));
            Assert.Equal((31337u, report.DumpId!.Value, (uint)count), (packet.BootId, packet.DumpId, packet.PacketCount));
            if (packet.PacketNo == 0) Assert.EndsWith("not syncing: test\n", Encoding.ASCII.GetString(packet.Data));
            numbers.Add(packet.PacketNo);
        }
        var oneRound = Enumerable.Range(0, count).Select(i => (uint)i).ToList();
        Assert.Equal(oneRound.Concat(oneRound).Concat(oneRound), numbers);
    }
}
