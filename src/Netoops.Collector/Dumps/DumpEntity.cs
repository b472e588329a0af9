using System.Text;
using Akka.Actor;
using Netoops.Collector.Actors;
using Netoops.Collector.Analysis;
using Netoops.Collector.Metrics;
using Netoops.Collector.Storage;
using Netoops.Protocol.Packets;

namespace Netoops.Collector.Dumps;

/// <summary>Finish the dump now, as it stands (sent by the registry to evict it).</summary>
public sealed record FinishNow
{
    public static readonly FinishNow Instance = new();
}

/// <summary>
/// One netoops dump being assembled (key: source, boot_id, dump_id, type). Retransmit rounds are
/// deduplicated by the assembler. Complete → analysed and stored; no new packet for the timeout →
/// stored as partial with its missing packet numbers (packet 0 goes first, so a partial dump
/// usually still holds the oops).
/// </summary>
public sealed class DumpEntity : ReceiveActor, IWithTimers
{
    private sealed record CheckIdle
    {
        public static readonly CheckIdle Instance = new();
    }

    private readonly DumpKey _key;
    private readonly TimeSpan _timeout;
    private readonly CollectorMetrics _metrics;
    private readonly IActorRef _store;
    private readonly ICrashAnalyzer _analyzer;
    private readonly DumpAssembler _assembler = new();
    private DateTimeOffset _firstPacket, _lastPacket;

    public ITimerScheduler Timers { get; set; } = null!;

    public DumpEntity(DumpKey key, TimeSpan timeout, CollectorMetrics metrics, IActorRef store, ICrashAnalyzer analyzer)
    {
        _key = key;
        _timeout = timeout;
        _metrics = metrics;
        _store = store;
        _analyzer = analyzer;
        Receive<DumpPacket>(Add);
        Receive<CheckIdle>(_ =>
        {
            var idle = DateTimeOffset.UtcNow - _lastPacket;
            if (idle >= _timeout) Finish();
            else Timers.StartSingleTimer("idle", CheckIdle.Instance, _timeout - idle);
        });
        Receive<FinishNow>(_ => Finish());
    }

    public static Props Props(DumpKey key, TimeSpan timeout, CollectorMetrics metrics, IActorRef store, ICrashAnalyzer analyzer) =>
        Akka.Actor.Props.Create(() => new DumpEntity(key, timeout, metrics, store, analyzer));

    protected override void PreStart() => Timers.StartSingleTimer("idle", CheckIdle.Instance, _timeout);

    private void Add(DumpPacket message)
    {
        try
        {
            // Validated by the receive loop already; decoding again is a few header reads.
            if (NetoopsPacket.TryDecode(message.Bytes, out var packet) != PacketError.None) return;
            if (_assembler.Header is null) _firstPacket = message.ReceivedAt;
            _lastPacket = message.ReceivedAt;
            var counter = _assembler.Add(packet) switch
            {
                AddOutcome.Accepted => _metrics.DumpPacketsAccepted,
                AddOutcome.Duplicate => _metrics.DumpPacketsDuplicate,
                AddOutcome.ConflictingDuplicate => _metrics.DumpPacketsConflicting,
                _ => _metrics.DumpPacketsCountMismatch,
            };
            counter.Increment();
        }
        finally
        {
            message.Release();
        }
        if (_assembler.IsComplete) Finish();
    }

    private void Finish()
    {
        if (_assembler.Header is not null)
        {
            var dump = _assembler.Result();
            (dump.IsComplete ? _metrics.DumpsComplete : _metrics.DumpsPartial).Increment();
            _store.Tell(new StoreCrash(ToRecord(dump)));
        }
        Context.Parent.Tell(new DumpFinished(_key, _assembler.IsComplete));
        Context.Stop(Self);
        // Packets already queued behind this point go to dead letters; the registry starts a new
        // entity (or counts them as duplicates) for anything that arrives after it forgets us.
        Become(() => Receive<DumpPacket>(p => p.Release()));
    }

    /// <summary>The kernel's pt_regs names, as analysis spells them (`orig_ax`, `ip`, `r15`).</summary>
    private static string RegisterName(X86Register register) =>
        register == X86Register.OrigAx ? "orig_ax" : register.ToString().ToLowerInvariant();

    private CrashRecord ToRecord(AssembledDump dump)
    {
        var header = dump.Header;
        var text = Encoding.UTF8.GetString(dump.Text);
        var analysis = _analyzer.Analyze(text, header.Type == DumpType.Soft);
        var registers = new Dictionary<string, ulong>(analysis.Registers);
        // Registers from the packet header are what the kernel saw; they win over the text's.
        if (header.Registers != default)
            foreach (var register in Enum.GetValues<X86Register>())
                registers[RegisterName(register)] = header.Registers[register];
        return new CrashRecord
        {
            Origin = CrashOrigin.Netoops,
            HostAddress = _key.Source.HostText(),
            Source = _key.Source.ToString(),
            ReceivedAt = _firstPacket,
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
            Missing = dump.MissingPacketNumbers.Select(n => (int)n).ToList(),
            Report = analysis.Report,
            LogText = text,
        };
    }
}
