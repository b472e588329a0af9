using System.Globalization;
using System.Text;

namespace Netoops.Collector.Metrics;

/// <summary>Every counter of a collector, rendered as Prometheus text at `/metrics`.</summary>
public sealed class CollectorMetrics
{
    public IngestMetrics Netoops { get; } = new("netoops");
    public IngestMetrics Netconsole { get; } = new("netconsole");

    public Counter DumpsComplete { get; } = new();
    public Counter DumpsPartial { get; } = new();
    public Counter DumpsEvicted { get; } = new();
    public Counter DumpPacketsAccepted { get; } = new();
    public Counter DumpPacketsDuplicate { get; } = new();
    public Counter DumpPacketsConflicting { get; } = new();
    public Counter DumpPacketsCountMismatch { get; } = new();
    public Counter DumpCandidates { get; } = new();
    public Counter DumpCandidatesDiscarded { get; } = new();
    public Gauge DumpsPending { get; } = new();
    public Gauge DumpsPendingBytes { get; } = new();
    public Counter DumpsDropped { get; } = new();
    public Counter DumpsFolded { get; } = new();
    public Gauge PacketBuffersLeased { get; } = new();
    public Counter DumpPacketsReplayed { get; } = new();
    public Counter StoreCrashesOverHostLimit { get; } = new();
    public Counter StoreCrashesUntracked { get; } = new();
    public Counter DumpPacketsShed { get; } = new();
    public Gauge AnalysisBacklogBytes { get; } = new();

    public Counter NetconsoleMessages { get; } = new();
    public Counter NetconsoleFragmentsReassembled { get; } = new();
    public Counter NetconsoleFragmentsDropped { get; } = new();
    public Counter NetconsoleOddDictionaryLines { get; } = new();
    public Gauge NetconsoleFragmentBytes { get; } = new();
    public Counter NetconsoleSequenceGaps { get; } = new();
    public Counter NetconsoleMissingMessages { get; } = new();
    public Counter NetconsoleSequenceResets { get; } = new();
    public Counter NetconsoleLateMessages { get; } = new();
    public Counter NetconsoleDuplicateMessages { get; } = new();
    public Counter NetconsoleCrashes { get; } = new();
    public Gauge NetconsoleSessions { get; } = new();
    public Counter NetconsoleSessionsEvicted { get; } = new();

    public Counter AnalysisFailures { get; } = new();
    public Counter StoreCrashesWritten { get; } = new();
    public Counter StoreBatches { get; } = new();
    public Counter StoreErrors { get; } = new();
    public Counter StoreDropped { get; } = new();
    public Gauge StoreQueue { get; } = new();

    public string RenderPrometheus()
    {
        var text = new StringBuilder();
        void Metric(string name, string type, string help, IEnumerable<(string Labels, long Value)> samples)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var (labels, value) in samples)
                text.Append(name).Append(labels).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        void One(string name, string type, string help, long value) => Metric(name, type, help, [("", value)]);
        IEnumerable<(string, long)> PerChannel(Func<IngestMetrics, long> read) =>
            [($"{{channel=\"{Netoops.Channel}\"}}", read(Netoops)), ($"{{channel=\"{Netconsole.Channel}\"}}", read(Netconsole))];

        Metric("netoops_ingest_datagrams_total", "counter", "UDP datagrams received.", PerChannel(m => m.Received.Value));
        Metric("netoops_ingest_bytes_total", "counter", "UDP payload bytes received.", PerChannel(m => m.Bytes.Value));
        Metric("netoops_ingest_accepted_total", "counter", "Datagrams decoded and handed on.", PerChannel(m => m.Accepted.Value));
        Metric("netoops_ingest_invalid_total", "counter", "Datagrams refused as malformed, by error kind.",
            new[] { Netoops, Netconsole }.SelectMany(m => m.Invalid.Values.Select(v => ($"{{channel=\"{m.Channel}\",kind=\"{v.Key}\"}}", v.Value))));
        Metric("netoops_ingest_rate_limited_total", "counter", "Datagrams dropped by the per-source rate limit.", PerChannel(m => m.RateLimited.Value));
        Metric("netoops_ingest_not_allowed_total", "counter", "Datagrams from sources outside the allowlist.", PerChannel(m => m.NotAllowed.Value));
        Metric("netoops_ingest_kernel_dropped_total", "counter", "Datagrams the kernel dropped because the socket buffer was full.", PerChannel(m => m.KernelDropped()));
        Metric("netoops_ingest_receive_buffer_bytes", "gauge", "Effective socket receive buffer size.", PerChannel(m => m.ReceiveBufferBytes.Value));
        Metric("netoops_ingest_receive_thread_nice", "gauge", "Scheduling nice value of the receive thread (negative: raised).", PerChannel(m => m.ReceiveThreadNice.Value));

        One("netoops_dumps_complete_total", "counter", "Netoops dumps assembled complete.", DumpsComplete.Value);
        One("netoops_dumps_partial_total", "counter", "Netoops dumps stored partial after their timeout.", DumpsPartial.Value);
        One("netoops_dumps_evicted_total", "counter", "Partial dumps finished early to stay within memory bounds.", DumpsEvicted.Value);
        One("netoops_dump_packets_accepted_total", "counter", "Packets that added a new chunk to a dump.", DumpPacketsAccepted.Value);
        One("netoops_dump_packets_duplicate_total", "counter", "Retransmitted packets ignored.", DumpPacketsDuplicate.Value);
        One("netoops_dump_packets_conflicting_total", "counter", "Packets repeating a number with different data.", DumpPacketsConflicting.Value);
        One("netoops_dump_packets_count_mismatch_total", "counter", "Packets disagreeing with every candidate of their dump when no more candidates may start.", DumpPacketsCountMismatch.Value);
        One("netoops_dump_candidates_total", "counter", "Competing candidates started by a packet whose layout (count, offsets, header) disagrees with its dump's.", DumpCandidates.Value);
        One("netoops_dump_candidates_discarded_total", "counter", "Competing candidates not stored because another candidate of the same dump won.", DumpCandidatesDiscarded.Value);
        One("netoops_dumps_pending", "gauge", "Dumps being assembled.", DumpsPending.Value);
        One("netoops_dumps_pending_bytes", "gauge", "Memory held by dumps being assembled.", DumpsPendingBytes.Value);
        One("netoops_dump_packets_shed_total", "counter", "Packets shed on receipt because their dump shard was too far behind.", DumpPacketsShed.Value);
        One("netoops_store_crashes_over_host_limit_total", "counter", "Crashes not stored because their host was over its crashes or bytes per minute (counted per host in /api/hosts).", StoreCrashesOverHostLimit.Value);
        One("netoops_dump_packets_replayed_total", "counter", "Signed packets of a dump this host and boot had already delivered (a replay), refused.", DumpPacketsReplayed.Value);
        One("netoops_packet_buffers_leased", "gauge", "Netoops packet buffers rented and not yet returned (received packets on their way, chunks of pending dumps).", PacketBuffersLeased.Value);
        One("netoops_store_crashes_untracked_total", "counter", "Crashes stored without a per-host budget: the table of hosts was full of hosts over theirs.", StoreCrashesUntracked.Value);
        One("netoops_dumps_folded_total", "counter", "Finished dumps whose report matched one analysed moments ago: counted into its bucket as occurrences, not analysed.", DumpsFolded.Value);
        One("netoops_dumps_dropped_total", "counter", "Finished dumps dropped because analysis was too far behind.", DumpsDropped.Value);
        One("netoops_analysis_backlog_bytes", "gauge", "Text of finished dumps waiting for analysis.", AnalysisBacklogBytes.Value);

        One("netoops_netconsole_messages_total", "counter", "Netconsole messages parsed.", NetconsoleMessages.Value);
        One("netoops_netconsole_fragments_reassembled_total", "counter", "Messages rebuilt from ncfrag fragments.", NetconsoleFragmentsReassembled.Value);
        One("netoops_netconsole_sessions_evicted_total", "counter", "Sessions ended early so that a new sender got one: the least recently active went.", NetconsoleSessionsEvicted.Value);
        One("netoops_netconsole_fragments_dropped_total", "counter", "Incomplete ncfrag messages dropped: too many at once for a sender, or too old.", NetconsoleFragmentsDropped.Value);
        One("netoops_netconsole_odd_dictionary_lines_total", "counter", "Dictionary lines not in the kernel's form (no leading space, no KEY=value): read where possible, the message kept.", NetconsoleOddDictionaryLines.Value);
        One("netoops_netconsole_fragment_bytes", "gauge", "Bytes held by incomplete ncfrag messages of every sender.", NetconsoleFragmentBytes.Value);
        One("netoops_netconsole_sequence_gaps_total", "counter", "Jumps forward in a session's sequence numbers.", NetconsoleSequenceGaps.Value);
        One("netoops_netconsole_missing_messages_total", "counter", "Messages skipped by sequence gaps.", NetconsoleMissingMessages.Value);
        One("netoops_netconsole_sequence_resets_total", "counter", "Sequence numbers going back (a reboot).", NetconsoleSequenceResets.Value);
        One("netoops_netconsole_late_messages_total", "counter", "Messages that arrived after later ones (reordered, filling a gap).", NetconsoleLateMessages.Value);
        One("netoops_netconsole_duplicate_messages_total", "counter", "Messages received again (same sequence number and timestamp) and dropped.", NetconsoleDuplicateMessages.Value);
        One("netoops_netconsole_crashes_total", "counter", "Crash reports found on netconsole streams.", NetconsoleCrashes.Value);
        One("netoops_netconsole_sessions", "gauge", "Netconsole sessions (source address and port).", NetconsoleSessions.Value);

        One("netoops_analysis_failures_total", "counter", "Crash texts analysis could not title (stored under a fallback title).", AnalysisFailures.Value);
        One("netoops_store_crashes_written_total", "counter", "Crashes written to the database.", StoreCrashesWritten.Value);
        One("netoops_store_batches_total", "counter", "Write transactions committed.", StoreBatches.Value);
        One("netoops_store_errors_total", "counter", "Write transactions that failed.", StoreErrors.Value);
        One("netoops_store_dropped_total", "counter", "Crashes dropped because the write queue was full or writes kept failing.", StoreDropped.Value);
        One("netoops_store_queue", "gauge", "Crashes waiting to be written.", StoreQueue.Value);

        // The runtime's pauses explain most kernel drops at high rates: a stall longer than the socket buffer holds loses datagrams.
        One("netoops_process_gc_pause_microseconds_total", "counter", "Time the runtime's garbage collector paused the process.",
            (long)GC.GetTotalPauseDuration().TotalMicroseconds);
        Metric("netoops_process_gc_collections_total", "counter", "Garbage collections, by generation.",
            Enumerable.Range(0, GC.MaxGeneration + 1).Select(g => ($"{{generation=\"{g}\"}}", (long)GC.CollectionCount(g))));
        One("netoops_process_heap_bytes", "gauge", "Managed heap size after the last collection.", GC.GetGCMemoryInfo().HeapSizeBytes);
        return text.ToString();
    }
}
