using System.Text;
using Akka.Actor;
using Netoops.Collector.Actors;
using Netoops.Collector.Analysis;
using Netoops.Collector.Hosting;
using Netoops.Collector.Metrics;
using Netoops.Collector.Storage;
using Netoops.Protocol.Packets;

namespace Netoops.Collector.Dumps;

/// <summary>Analyse a finished dump and queue it for storage.</summary>
public sealed record AnalyseDump(FinishedDump Dump);

/// <summary>
/// Titles and buckets finished dumps off the shards (analysis is the costly part of a dump), then
/// hands the crash to the store writer. Each analysis is remembered by the dump's report
/// fingerprint (<see cref="RecentAnalyses"/>), so that in a crash storm the shards can count a
/// matching dump as an occurrence of it (<see cref="DumpShard"/>) instead of queueing it here. Stateless otherwise, so a
/// small round-robin pool of them shares the work.
/// </summary>
public sealed class DumpAnalyst : ReceiveActor
{
    public DumpAnalyst(ICrashAnalyzer analyzer, IActorRef store, CollectorMetrics metrics, AnalysisBacklog backlog, RecentAnalyses? recent = null)
    {
        Receive<AnalyseDump>(m =>
        {
            BackgroundWork.LowerIfOwnThread();
            try
            {
                var dump = m.Dump;
                var fingerprint = recent is null ? null : FingerprintOf(dump.Header, dump.Text);
                var text = Encoding.UTF8.GetString(dump.Text);
                var analysis = analyzer.Analyze(text, dump.Header.Type == DumpType.Soft);
                if (fingerprint is { } fresh) recent!.Remember(fresh, analysis, DateTimeOffset.UtcNow);
                store.Tell(new StoreCrash(ToRecord(dump, analysis, text)));
            }
            finally
            {
                // Even if this dump fails, its text has left the backlog: a leak here would shut analysis off.
                backlog.Release(m.Dump.Key.Source, m.Dump.Text.Length);
            }
        });
    }

    public static Props Props(ICrashAnalyzer analyzer, IActorRef store, CollectorMetrics metrics, AnalysisBacklog backlog, RecentAnalyses? recent = null) =>
        Akka.Actor.Props.Create(() => new DumpAnalyst(analyzer, store, metrics, backlog, recent));

    /// <summary>
    /// The fingerprint a dump's analysis is remembered under; null when it has none, or no kernel
    /// release in its header (then the release comes from the text, which the fingerprint masks).
    /// </summary>
    public static ulong? FingerprintOf(DumpHeader header, ReadOnlySpan<byte> text) =>
        header.KernelVersion.Length > 0
        && ReportFingerprint.TryCompute(text, header.KernelVersion, (ushort)header.Type, out var fingerprint)
            ? fingerprint
            : null;

    /// <summary>The kernel's pt_regs names, as analysis spells them (`orig_ax`, `ip`, `r15`).</summary>
    private static string RegisterName(X86Register register) =>
        register == X86Register.OrigAx ? "orig_ax" : register.ToString().ToLowerInvariant();

    /// <summary>
    /// A storm's dump counted as an occurrence of a report analysed moments before: that analysis's
    /// title, bucket and machine, this dump's own header; its text is not kept.
    /// </summary>
    public static CrashRecord Occurrence(FinishedDump dump, CrashAnalysis analysis) =>
        ToRecord(dump, analysis with { Report = "", Registers = new Dictionary<string, ulong>() }, "") with
        {
            AnalysedBy = CrashAnalysedBy.Fingerprint,
        };

    private static CrashRecord ToRecord(FinishedDump dump, CrashAnalysis analysis, string text)
    {
        var header = dump.Header;
        var registers = new Dictionary<string, ulong>(analysis.Registers);
        // Registers from the packet header are what the kernel saw; they win over the text's.
        if (header.Registers != default)
            foreach (var register in Enum.GetValues<X86Register>())
                registers[RegisterName(register)] = header.Registers[register];
        return new CrashRecord
        {
            Origin = CrashOrigin.Netoops,
            HostAddress = dump.Key.Source.HostText(),
            Source = dump.Key.Source.ToString(),
            ReceivedAt = dump.FirstPacket,
            BucketKey = analysis.BucketKey,
            Title = analysis.Title,
            Kind = analysis.Kind,
            Kernel = header.KernelVersion.Length > 0 ? header.KernelVersion : analysis.Kernel,
            BootId = header.BootId,
            DumpId = header.DumpId,
            DumpType = (ushort)header.Type,
            Cpu = new CpuIdentity(header.Cpu.Vendor, header.Cpu.Family, header.Cpu.Model, header.Cpu.Stepping),
            Machine = analysis.Machine,
            UserBlob = header.UserBlobText,
            Registers = registers,
            Complete = dump.IsComplete,
            PacketCount = (int)dump.PacketCount,
            Missing = dump.Missing,
            Report = analysis.Report,
            LogText = text,
            Authenticated = dump.Authenticated,
        };
    }
}
