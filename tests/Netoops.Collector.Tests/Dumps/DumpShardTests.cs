using System.Buffers.Binary;
using System.Text;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Netoops.Collector.Analysis;
using Netoops.Collector.Dumps;
using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;
using Netoops.Collector.Tests.Support;
using Netoops.Protocol.Packets;

namespace Netoops.Collector.Tests.Dumps;

/// <summary>A dump shard on its own: packets in as the sink sends them, finished dumps out to a probe.</summary>
public sealed class DumpShardTests : TestKit
{
    private static readonly SourceAddress HostA = SourceAddress.FromV4(0x0a000001, 2004);
    private static readonly SourceAddress HostB = SourceAddress.FromV4(0x0a000002, 2004);

    private readonly CollectorMetrics _metrics = new();

    private (IActorRef Shard, Akka.TestKit.TestProbe Analysts) Start(TimeSpan? timeout = null, long perSource = 32L << 20, long overall = 256L << 20,
        long backlog = 128L << 20, AnalysisBacklog? sharedBacklog = null, StormFold? fold = null)
    {
        var analysts = CreateTestProbe();
        var settings = new DumpShard.Settings(timeout ?? TimeSpan.FromSeconds(30), perSource, overall, PacketLimits.Default);
        return (Sys.ActorOf(DumpShard.Props(settings, _metrics, analysts, sharedBacklog ?? new AnalysisBacklog(backlog, _metrics), fold: fold)), analysts);
    }

    /// <summary>Host 0's dump analysed and remembered, as an analyst would have it; a shard with that to fold into.</summary>
    private (IActorRef Shard, Akka.TestKit.TestProbe Analysts, Akka.TestKit.TestProbe Store, AnalysisBacklog Backlog) StartFolding()
    {
        var recent = new RecentAnalyses(TimeSpan.FromMinutes(1), 16);
        var first = DumpAnalystTests.FromHost(0);
        var analysis = new LinuxCrashAnalyzer(_metrics).Analyze(Encoding.UTF8.GetString(first.Text), softDump: false);
        Assert.True(recent.Remember(DumpAnalyst.FingerprintOf(first.Header, first.Text)!.Value, analysis, DateTimeOffset.UtcNow));
        var store = CreateTestProbe();
        var backlog = new AnalysisBacklog(1L << 20, _metrics);
        var (shard, analysts) = Start(sharedBacklog: backlog, fold: new StormFold(recent, store));
        return (shard, analysts, store, backlog);
    }

    private static IEnumerable<ReadOnlyMemory<byte>> StormDump(int host) =>
        DumpSlicer.Slice(Senders.Header(dumpId: (ushort)host), Encoding.UTF8.GetBytes(Netoops.Collector.Tests.Analysis.ReportFingerprintTests.AsHostPrints(host))).Packets;

    [Fact]
    public void While_analysis_falls_behind_a_dump_matching_a_recent_analysis_is_stored_as_its_occurrence_by_the_shard()
    {
        // On main before this, a storm's dumps queued for analysis until the backlog was full, then were dropped.
        var (shard, analysts, store, backlog) = StartFolding();
        Assert.True(backlog.TryAdmit(SourceAddress.FromV4(0x0b000001, 1), 1L << 17)); // the storm so far

        foreach (var host in Enumerable.Range(1, 50)) Send(shard, StormDump(host), SourceAddress.FromV4(0x0a000100u + (uint)host, 2004));

        var crashes = Enumerable.Range(1, 50).Select(_ => store.ExpectMsg<Netoops.Collector.Actors.StoreCrash>().Crash).ToList();
        analysts.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.All(crashes, c => Assert.Equal(("WARNING in provoke_warn", Netoops.Collector.Storage.CrashAnalysedBy.Fingerprint, ""), (c.Title, c.AnalysedBy, c.LogText)));
        Assert.Equal(50, crashes.Select(c => c.HostAddress).Distinct().Count());
        Assert.Equal(50, _metrics.DumpsFolded.Value);
    }

    [Fact]
    public void With_analysis_keeping_up_a_repeated_report_still_goes_to_the_analysts_and_keeps_its_text()
    {
        var (shard, analysts, store, _) = StartFolding();

        Send(shard, StormDump(1), HostA);

        Assert.Contains("provoke_warn", Text(analysts.ExpectMsg<AnalyseDump>().Dump));
        store.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    private static SlicedDump Dump(int bootLines = 20, ushort dumpId = 1) =>
        DumpSlicer.Slice(Senders.Header(dumpId: dumpId), Encoding.UTF8.GetBytes(KernelLogs.WithWarn(bootLines, seed: dumpId)));

    /// <summary>One pool for every test's packets, as the collector's sink has one: a buffer given back early would be rented again.</summary>
    private static readonly PacketPool Pool = new();

    private static DumpPacket Packet(ReadOnlyMemory<byte> bytes, SourceAddress from)
    {
        var buffer = Pool.Rent(bytes.Length);
        bytes.Span.CopyTo(buffer);
        return new DumpPacket(from, buffer, bytes.Length, DateTimeOffset.UtcNow, Pool);
    }

    private static void Send(IActorRef shard, IEnumerable<ReadOnlyMemory<byte>> packets, SourceAddress from)
    {
        foreach (var packet in packets) shard.Tell(Packet(packet, from));
    }

    private static string Text(FinishedDump dump) => Encoding.UTF8.GetString(dump.Text);

    [Fact]
    public void Three_rounds_in_any_order_make_one_complete_dump_and_the_rest_count_as_duplicates()
    {
        var (shard, analysts) = Start();
        var dump = Dump();
        var reordered = dump.Packets.Reverse().ToList();

        Send(shard, reordered.Concat(dump.Packets).Concat(reordered), HostA);

        var finished = analysts.ExpectMsg<AnalyseDump>().Dump;
        Assert.True(finished.IsComplete);
        Assert.Equal(KernelLogs.WithWarn(20, seed: 1), Text(finished));
        AwaitCondition(() => _metrics.DumpPacketsDuplicate.Value == 2 * dump.Packets.Count);
        analysts.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, _metrics.DumpsComplete.Value);
        Assert.Equal(0, _metrics.DumpsPending.Value);
        Assert.Equal(0, _metrics.DumpsPendingBytes.Value);
    }

    [Fact]
    public void A_pending_dumps_text_survives_its_packet_buffers_being_reused_by_other_dumps()
    {
        // Chunks stay in their pooled packet buffers until the dump finishes. Were one given back
        // early (say, on acceptance), the packets of the dumps below would be received into it
        // and dump 1's text would come out with their bytes in it.
        var (shard, analysts) = Start();
        var first = Dump(bootLines: 60, dumpId: 1);
        Send(shard, first.Packets.Skip(1), HostA);
        // Taken in before the next packets are rented, so a buffer given back early is the next one rented.
        AwaitCondition(() => _metrics.DumpPacketsAccepted.Value == first.Packets.Count - 1);
        for (ushort id = 2; id <= 6; id++)
        {
            Send(shard, Dump(bootLines: 60, dumpId: id).Packets, HostB);
            Assert.Equal(id, analysts.ExpectMsg<AnalyseDump>().Dump.Key.DumpId);
        }

        Send(shard, first.Packets.Take(1), HostA);

        var finished = analysts.ExpectMsg<AnalyseDump>().Dump;
        Assert.Equal((HostA, (ushort)1), (finished.Key.Source, finished.Key.DumpId));
        Assert.Equal(KernelLogs.WithWarn(60, seed: 1), Text(finished));
    }

    [Fact]
    public void A_dump_idle_for_the_timeout_is_handed_on_partial_with_its_missing_packet_numbers()
    {
        var (shard, analysts) = Start(timeout: TimeSpan.FromMilliseconds(300));
        var dump = Dump(bootLines: 60);

        Send(shard, dump.Packets.Take(2), HostA);

        var finished = analysts.ExpectMsg<AnalyseDump>(TimeSpan.FromSeconds(5)).Dump;
        Assert.False(finished.IsComplete);
        Assert.Equal(Enumerable.Range(2, dump.Packets.Count - 2), finished.Missing);
        Assert.EndsWith("---[ end trace 0000000000000000 ]---\n", Text(finished));
        Assert.Equal(1, _metrics.DumpsPartial.Value);
    }

    [Fact]
    public void Packets_that_keep_arriving_keep_a_dump_open_past_its_timeout()
    {
        var (shard, analysts) = Start(timeout: TimeSpan.FromMilliseconds(1500));
        var packets = Dump(bootLines: 100).Packets;
        Assert.True(packets.Count * 300 > 1500 * 2);

        // One packet every 300 ms: never idle for the timeout, though the whole dump takes longer than it.
        for (var i = 0; i < packets.Count; i++)
        {
            Send(shard, [packets[i]], HostA);
            if (i < packets.Count - 1) analysts.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        }

        Assert.True(analysts.ExpectMsg<AnalyseDump>().Dump.IsComplete);
    }

    [Fact]
    public void A_retransmit_round_after_a_complete_dump_is_counted_as_duplicates_not_a_new_dump()
    {
        var (shard, analysts) = Start(timeout: TimeSpan.FromMilliseconds(300));
        var dump = Dump();
        Send(shard, dump.Packets, HostA);
        analysts.ExpectMsg<AnalyseDump>();

        Send(shard, dump.Packets, HostA);

        analysts.ExpectNoMsg(TimeSpan.FromMilliseconds(800));
        Assert.Equal(dump.Packets.Count, _metrics.DumpPacketsDuplicate.Value);
        Assert.Equal(0, _metrics.DumpsPending.Value);
    }

    [Fact]
    public void The_same_dump_id_from_two_senders_makes_two_dumps()
    {
        var (shard, analysts) = Start();
        var dump = Dump();

        Send(shard, dump.Packets, HostA);
        Send(shard, dump.Packets, HostB);

        var sources = new[] { analysts.ExpectMsg<AnalyseDump>(), analysts.ExpectMsg<AnalyseDump>() }.Select(m => m.Dump.Key.Source);
        Assert.Equal([HostA, HostB], sources.OrderBy(s => s.Address));
    }

    [Fact]
    public void A_copy_with_different_text_is_counted_as_conflicting_and_the_first_copy_kept()
    {
        var (shard, analysts) = Start();
        var dump = Dump();
        var forged = dump.Packets[0].ToArray();
        forged[PacketLayout.X86_64DataOffset] ^= 0x20;

        Send(shard, [dump.Packets[0], forged], HostA);
        Send(shard, dump.Packets.Skip(1), HostA);

        Assert.Equal(KernelLogs.WithWarn(20, seed: 1), Text(analysts.ExpectMsg<AnalyseDump>().Dump));
        Assert.Equal(1, _metrics.DumpPacketsConflicting.Value);
    }

    [Fact]
    public void A_spoofed_packet_announcing_another_packet_count_starts_a_rival_and_the_real_dump_is_stored()
    {
        // On main before this, the spoof's packet_count 8192 set the dump's layout and the real
        // dump's packets were all refused as count_mismatch.
        var (shard, analysts) = Start();
        var dump = Dump();
        var spoof = dump.Packets[0].ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(spoof.AsSpan(PacketLayout.PacketCountOffset), 8192);
        spoof.AsSpan(PacketLayout.X86_64DataOffset, 6).Fill((byte)'F');

        Send(shard, [spoof], HostA);
        Send(shard, dump.Packets, HostA);

        var stored = analysts.ExpectMsg<AnalyseDump>().Dump;
        Assert.True(stored.IsComplete);
        Assert.Equal(KernelLogs.WithWarn(20, seed: 1), Text(stored));
        Assert.Equal(1, _metrics.DumpCandidates.Value);
        Assert.Equal(1, _metrics.DumpCandidatesDiscarded.Value);
        Assert.Equal(0, _metrics.DumpPacketsCountMismatch.Value);
        AwaitCondition(() => _metrics.DumpsPending.Value == 0 && _metrics.DumpsPendingBytes.Value == 0);
    }

    [Fact]
    public void A_spoofed_header_with_the_same_count_competes_too_and_the_rounds_that_follow_are_duplicates()
    {
        var (shard, analysts) = Start();
        var dump = Dump();
        var spoof = dump.Packets[1].ToArray();
        spoof[PacketLayout.KernelVersionOffset] ^= 0x01;

        Send(shard, [spoof], HostA);
        Send(shard, dump.Packets.Concat(dump.Packets), HostA);

        Assert.Equal(KernelLogs.WithWarn(20, seed: 1), Text(analysts.ExpectMsg<AnalyseDump>().Dump));
        AwaitCondition(() => _metrics.DumpPacketsDuplicate.Value == dump.Packets.Count);
        analysts.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void When_no_candidate_completes_the_one_with_the_largest_share_of_its_packets_is_stored_partial()
    {
        var (shard, analysts) = Start(timeout: TimeSpan.FromMilliseconds(300));
        var dump = Dump(bootLines: 60);
        Assert.True(dump.Packets.Count >= 4);
        var spoof = dump.Packets[0].ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(spoof.AsSpan(PacketLayout.PacketCountOffset), 8192);

        Send(shard, [spoof], HostA);
        Send(shard, dump.Packets.Skip(1), HostA);

        var stored = analysts.ExpectMsg<AnalyseDump>().Dump;
        Assert.Equal((uint)dump.Packets.Count, stored.PacketCount);
        Assert.Equal([0], stored.Missing);
        analysts.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        Assert.Equal(1, _metrics.DumpCandidatesDiscarded.Value);
    }

    [Fact]
    public void A_key_takes_at_most_four_candidates_and_refuses_further_layouts_as_count_mismatch()
    {
        var (shard, analysts) = Start();
        var dump = Dump();
        for (uint count = 100; count < 106; count++)
        {
            var spoof = dump.Packets[0].ToArray();
            BinaryPrimitives.WriteUInt32LittleEndian(spoof.AsSpan(PacketLayout.PacketCountOffset), count);
            Send(shard, [spoof], HostA);
        }
        AwaitCondition(() => _metrics.DumpPacketsCountMismatch.Value == 2);
        Assert.Equal(4, _metrics.DumpsPending.Value);
        Assert.Equal(3, _metrics.DumpCandidates.Value);
    }

    [Fact]
    public void One_packet_of_a_huge_dump_counts_the_memory_that_arrived_not_its_packet_count()
    {
        var (shard, _) = Start();
        var huge = DumpSlicer.Slice(Senders.Header(), new byte[8000 * PacketLayout.DataSize].Select(_ => (byte)'x').ToArray());

        Send(shard, huge.Packets.Take(1), HostA);

        AwaitCondition(() => _metrics.DumpsPending.Value == 1);
        Assert.Equal(PendingDump.OverheadBytes + PendingDump.CostOf(PacketPool.BufferSize), _metrics.DumpsPendingBytes.Value);
    }

    [Fact]
    public void A_sender_over_its_budget_evicts_its_own_least_recently_active_dump_first()
    {
        var oneDump = PendingDump.OverheadBytes + PendingDump.CostOf(PacketPool.BufferSize);
        var (shard, analysts) = Start(perSource: 2 * oneDump);
        var dumps = Enumerable.Range(1, 3).Select(id => Dump(bootLines: 60, dumpId: (ushort)id)).ToList();

        Send(shard, dumps[0].Packets.Skip(1).Take(1), HostB);
        Send(shard, dumps[0].Packets.Skip(1).Take(1), HostA);
        Send(shard, dumps[1].Packets.Skip(1).Take(1), HostA);
        Send(shard, dumps[2].Packets.Skip(1).Take(1), HostA);

        var evicted = analysts.ExpectMsg<AnalyseDump>().Dump;
        Assert.Equal((HostA, (ushort)1), (evicted.Key.Source, evicted.Key.DumpId));
        Assert.False(evicted.IsComplete);
        analysts.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, _metrics.DumpsEvicted.Value);
        Assert.Equal(3, _metrics.DumpsPending.Value);
    }

    [Fact]
    public void A_shard_over_its_budget_evicts_the_least_recently_active_dump_of_any_sender()
    {
        var oneDump = PendingDump.OverheadBytes + PendingDump.CostOf(PacketPool.BufferSize);
        var (shard, analysts) = Start(overall: 3 * oneDump);
        var first = Dump(bootLines: 60, dumpId: 1);
        var second = Dump(bootLines: 60, dumpId: 2);

        Send(shard, first.Packets.Skip(1).Take(1), HostA);
        Send(shard, second.Packets.Skip(1).Take(1), HostB);
        Send(shard, first.Packets.Skip(2).Take(1), HostA); // A's dump is now the more recently active
        Send(shard, second.Packets.Skip(1).Take(1), HostA);

        var evicted = analysts.ExpectMsg<AnalyseDump>().Dump;
        Assert.Equal((HostB, (ushort)2), (evicted.Key.Source, evicted.Key.DumpId));
        Assert.Equal(1, _metrics.DumpsEvicted.Value);
    }

    [Fact]
    public void Finished_dumps_beyond_the_analysis_backlog_are_dropped_and_counted()
    {
        var first = Dump(dumpId: 1);
        var textLength = Encoding.UTF8.GetByteCount(KernelLogs.WithWarn(20, seed: 1));
        // The probe never analyses: the first dump's text stays in the backlog, leaving no room for the second.
        var (shard, analysts) = Start(backlog: textLength + 100);

        Send(shard, first.Packets, HostA);
        Send(shard, Dump(dumpId: 2).Packets, HostA);

        Assert.Equal(1, analysts.ExpectMsg<AnalyseDump>().Dump.Key.DumpId);
        AwaitCondition(() => _metrics.DumpsDropped.Value == 1);
        analysts.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(textLength, _metrics.AnalysisBacklogBytes.Value);
        Assert.Equal(2, _metrics.DumpsComplete.Value);
    }
}
