using System.Buffers.Binary;
using System.Text;
using Akka.Actor;
using BenchmarkDotNet.Attributes;
using Netoops.Collector.Dumps;
using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;
using Netoops.Protocol.Packets;

namespace Netoops.Benchmarks.Collector;

/// <summary>
/// Netoops packets reassembled per second in-process: 2,000 dumps of 8 packets from 1,000 senders,
/// interleaved as a fleet's dumps arrive, copied into pooled buffers and told to their shard as the
/// receive loop does, timed until every dump has come out complete. Analysis and storage are not
/// in the loop (their rates are measured on their own). One operation = one packet.
/// Run: dotnet run -c Release --project tests/Netoops.Benchmarks -- --filter '*DumpShard*' --job short
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class DumpShardBenchmarks
{
    private const int Senders = 1000;
    private const int DumpsPerSender = 2;
    private const int PacketsPerDump = 8;
    private const int Packets = Senders * DumpsPerSender * PacketsPerDump;

    private readonly PacketPool _pool = new();
    private ActorSystem _system = null!;
    private DumpShards _shards = null!;
    private IActorRef _done = null!;
    private byte[][] _packets = [];
    private SourceAddress[] _sources = [];
    private uint _round;

    [Params(1, 2, 4)]
    public int Shards { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("bench", "akka.loglevel = WARNING\nakka.log-dead-letters = off");
        var metrics = new CollectorMetrics();
        var backlog = new AnalysisBacklog(128L << 20, metrics);
        _done = _system.ActorOf(Props.Create(() => new CompletionCounter(backlog)));
        var settings = new DumpShard.Settings(TimeSpan.FromSeconds(30), 32L << 20, 1L << 30, PacketLimits.Default);
        _shards = DumpShards.Start(Shards, (_, _) => _system.ActorOf(DumpShard.Props(settings, metrics, _done, backlog)));

        // Packet p of every dump, then p + 1 of every dump: all 2,000 dumps are open at once.
        var log = new StringBuilder();
        while (log.Length < (PacketsPerDump - 1) * PacketLayout.DataSize + 500)
            log.Append($"[{log.Length / 100.0,12:F6}] virtio_net virtio0 eth0: a boot line of ordinary length, link is up\n");
        var dumps = new List<(SourceAddress, IReadOnlyList<ReadOnlyMemory<byte>>)>();
        for (var s = 0; s < Senders; s++)
            for (var d = 0; d < DumpsPerSender; d++)
            {
                var header = new DumpHeader { DumpId = (ushort)d, BootId = 0, KernelVersion = "6.1.0-56-cloud-amd64" };
                dumps.Add((SourceAddress.FromV4(0x7f010001 + (uint)s, 2004), DumpSlicer.Slice(header, Encoding.UTF8.GetBytes(log.ToString())).Packets));
            }
        var packets = new List<byte[]>();
        var sources = new List<SourceAddress>();
        for (var p = 0; p < PacketsPerDump; p++)
            foreach (var (source, slices) in dumps)
            {
                packets.Add(slices[p].ToArray());
                sources.Add(source);
            }
        _packets = [.. packets];
        _sources = [.. sources];
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    [Benchmark(OperationsPerInvoke = Packets)]
    public async Task Packets_through_shards_to_complete_dumps()
    {
        // A new boot id each time: finished keys are remembered, so reused ones would count as duplicates.
        var round = ++_round;
        var finished = _done.Ask<int>(new CompletionCounter.Expect(Senders * DumpsPerSender), TimeSpan.FromMinutes(1));
        for (var i = 0; i < _packets.Length; i++)
        {
            var packet = _packets[i];
            var buffer = _pool.Rent(packet.Length);
            packet.CopyTo(buffer, 0);
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(PacketLayout.BootIdOffset), round);
            _shards.For(_sources[i]).Actor.Tell(new DumpPacket(_sources[i], buffer, packet.Length, DateTimeOffset.UtcNow, _pool));
        }
        if (await finished != Senders * DumpsPerSender) throw new InvalidOperationException("dumps came out partial");
    }

    /// <summary>Stands in for the analysts: counts complete dumps and answers once the expected number is in.</summary>
    private sealed class CompletionCounter : ReceiveActor
    {
        public sealed record Expect(int Dumps);

        private IActorRef? _waiter;
        private int _expected, _complete;

        public CompletionCounter(AnalysisBacklog backlog)
        {
            Receive<Expect>(m => (_waiter, _expected, _complete) = (Sender, m.Dumps, 0));
            Receive<AnalyseDump>(m =>
            {
                // Taken off the backlog as an analyst would, or the shards start dropping dumps.
                backlog.Release(m.Dump.Key.Source, m.Dump.Text.Length);
                if (m.Dump.IsComplete) _complete++;
                if (_complete == _expected) _waiter?.Tell(_complete);
            });
        }
    }
}
