using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using BenchmarkDotNet.Attributes;
using Netoops.Actors.Dumps;
using Netoops.Actors.Linux;
using Netoops.Actors.Subsystems;
using Netoops.Actors.Targets;
using Netoops.Protocol.Packets;

namespace Netoops.Benchmarks;

/// <summary>
/// One 128 KiB dump (128 packets × 3 rounds) fanned out to 1, 8 and 64 loopback targets through
/// the real actors (coordinator → subsystem → targets → bound UDP sockets), timed to the
/// DumpReport (which follows the last TransmitReport), against a plain loop sending the same
/// packets on as many plain sockets. Sinks are bound but never read: the kernel drops what
/// overflows, which costs the sender nothing.
/// Run: dotnet run -c Release --project tests/Netoops.Benchmarks -- --filter '*FanOut*' --job short
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class FanOutBenchmarks
{
    private const int DumpBytes = 128 * 1024;
    private const int Rounds = 3;
    private ActorSystem _system = null!;
    private IActorRef _coordinator = null!;
    private readonly List<Socket> _sinks = [];
    private readonly List<Socket> _rawSockets = [];
    private readonly List<IPEndPoint> _rawTargets = [];
    private IReadOnlyList<ReadOnlyMemory<byte>> _packets = [];
    private LogSnapshot _log = null!;
    private long _uptimeSeconds = 1000;

    [Params(1, 8, 64)]
    public int Targets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var text = new byte[DumpBytes];
        for (var i = 0; i < text.Length; i++) text[i] = (byte)('a' + i % 26);
        _log = LogSnapshot.Of(text);
        _packets = DumpSlicer.Slice(new DumpHeader { KernelVersion = "6.1.0-bench" }, text).Packets;

        _system = ActorSystem.Create("bench", "akka.loglevel = WARNING");
        var netoops = _system.ActorOf(TargetsSubsystem.Props(SubsystemOptions.Netoops(new LinuxNetpoll())), "netoops");
        for (var i = 0; i < Targets; i++)
        {
            var sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            sink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _sinks.Add(sink);
            var port = ((IPEndPoint)sink.LocalEndPoint!).Port;
            var name = $"t{i}";
            Expect<TargetMade>(netoops.Ask(new MakeTarget(name)).Result);
            foreach (var (attribute, value) in new[] { ("dev_name", "lo"), ("remote_ip", "127.0.0.1"), ("remote_port", port.ToString()), ("local_port", "0"), ("enabled", "1") })
                Expect<Accepted>(netoops.Ask(new WriteAttribute(name, attribute, value)).Result);

            var raw = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            raw.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _rawSockets.Add(raw);
            _rawTargets.Add(new IPEndPoint(IPAddress.Loopback, port));
        }
        var policy = DumpPolicy.Default with { MinInterval = TimeSpan.Zero };
        _coordinator = _system.ActorOf(DumpCoordinator.Props(new DumpCoordinatorOptions(
            netoops, "6.1.0-bench", policy, () => TimeSpan.FromSeconds(Interlocked.Increment(ref _uptimeSeconds)), Rounds)));
    }

    [Benchmark(Description = "actors: dump to last TransmitReport")]
    public async Task<int> Actors()
    {
        var report = await _coordinator.Ask<DumpReport>(new DumpRequested(DumpReason.Soft, _log), TimeSpan.FromSeconds(30));
        if (report.Targets.Count != Targets || report.Targets.Any(t => t.Sent != _packets.Count * Rounds))
            throw new InvalidOperationException($"incomplete fan-out: {string.Join(", ", report.Targets)}");
        return report.Targets.Count;
    }

    [Benchmark(Baseline = true, Description = "raw socket loop, same packets")]
    public int RawLoop()
    {
        var sent = 0;
        for (var t = 0; t < _rawSockets.Count; t++)
        {
            var remote = _rawTargets[t].Serialize();
            for (var round = 0; round < Rounds; round++)
                foreach (var packet in _packets)
                {
                    _rawSockets[t].SendTo(packet.Span, SocketFlags.None, remote);
                    sent++;
                }
        }
        return sent;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _system.Terminate().Wait();
        foreach (var s in _sinks.Concat(_rawSockets)) s.Dispose();
    }

    private static void Expect<T>(object reply)
    {
        if (reply is not T) throw new InvalidOperationException($"setup got {reply}");
    }
}
