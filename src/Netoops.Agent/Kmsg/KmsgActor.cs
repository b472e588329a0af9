using Akka.Actor;
using Akka.Event;
using Netoops.Agent.Crash;
using Netoops.Agent.Hosting;
using Netoops.Actors.Dumps;
using Netoops.Actors.Netconsole;
using Netoops.Agent.Log;
using Netoops.Analysis;
using Netoops.Protocol.Kmsg;

namespace Netoops.Agent.Kmsg;

/// <summary>One raw record from the reader thread (header line plus dictionary lines).</summary>
public sealed record KmsgRecordRead(string Raw);

/// <summary>Reply: the ring as it is now, as <see cref="LogSnapshot"/>.</summary>
public sealed record SnapshotLog
{
    public static readonly SnapshotLog Instance = new();
}

/// <summary>
/// Dump the log now without a crash (sysrq y). The kmsg actor snapshots its ring and hands it to
/// the dump desk, which replies to the sender with a <c>DumpSummary</c>.
/// </summary>
public sealed record RequestSoftDump
{
    public static readonly RequestSoftDump Instance = new();
}

/// <summary>
/// A crash report just completed in the live log, with the ring snapshotted at that moment (so
/// that lines printed afterwards, or a burst that wraps the ring, cannot change what is sent).
/// </summary>
public sealed record CrashDetected(CrashReport Report, LogSnapshot Log);

/// <summary>
/// /user/kmsg: owns the log ring and the crash watch. Every record goes to the ring, to the crash
/// watch and to the record subscribers (the netconsole streamer, as <see cref="StreamLog"/>); a completed crash report goes
/// to the dump desk.
/// </summary>
public sealed class KmsgActor : ReceiveActor, IWithTimers
{
    /// <summary>How long the log must stay silent before a report without end marker counts as complete.</summary>
    public static readonly TimeSpan QuietAfter = TimeSpan.FromMilliseconds(250);

    private sealed record QuietCheck
    {
        public static readonly QuietCheck Instance = new();
    }

    private readonly LogRing _ring;
    private readonly CrashWatch _watch = new();
    private readonly IActorRef _dumps;
    private readonly IReadOnlyList<IActorRef> _recordSubscribers;
    private readonly AgentCounters _counters;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private DateTime _lastRecordUtc;

    public KmsgActor(int ringBytes, IActorRef dumps, IReadOnlyList<IActorRef> recordSubscribers, AgentCounters counters)
    {
        _ring = new LogRing(ringBytes);
        _dumps = dumps;
        _recordSubscribers = recordSubscribers;
        _counters = counters;

        Receive<KmsgRecordRead>(OnRecord);
        Receive<SnapshotLog>(_ => Sender.Tell(_ring.Snapshot()));
        Receive<RequestSoftDump>(_ => _dumps.Tell(new Dumps.SoftDumpOf(_ring.Snapshot(), Sender)));
        Receive<QuietCheck>(_ => OnQuietCheck());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(int ringBytes, IActorRef dumps, IReadOnlyList<IActorRef> recordSubscribers, AgentCounters counters)
        => Akka.Actor.Props.Create(() => new KmsgActor(ringBytes, dumps, recordSubscribers, counters));

    private void OnRecord(KmsgRecordRead read)
    {
        var error = KmsgParser.TryParse(read.Raw, out var record);
        if (error != RecordError.None)
        {
            _counters.Add("kmsg_malformed_records");
            _log.Warning("kmsg: record refused ({0}): {1}", error.Code(), Truncate(read.Raw));
            return;
        }

        _counters.Add("kmsg_records");
        var line = LogRing.FormatLine(record.TimestampMicros, record.Text);
        _ring.AppendLine(line);
        var report = _watch.Observe(line.TrimEnd('\n'));
        // The dump goes first: the streamers' sends of this line would otherwise compete with it for the threads.
        if (report is not null) Report(report);
        // A crash's own lines bypass the netconsole rate limit (and are all oops_only sends).
        var stream = new StreamLog(record, _watch.InReport || report is not null);
        foreach (var subscriber in _recordSubscribers) subscriber.Tell(stream);
        if (report is not null) return;

        _lastRecordUtc = DateTime.UtcNow;
        if (!Timers.IsTimerActive(QuietCheck.Instance))
            Timers.StartSingleTimer(QuietCheck.Instance, QuietCheck.Instance, QuietAfter);
    }

    private void OnQuietCheck()
    {
        var silentFor = DateTime.UtcNow - _lastRecordUtc;
        if (silentFor < QuietAfter)
        {
            Timers.StartSingleTimer(QuietCheck.Instance, QuietCheck.Instance, QuietAfter - silentFor);
            return;
        }
        if (_watch.Quiet() is { } report) Report(report);
    }

    private void Report(CrashReport report)
    {
        _counters.Add("crash_reports");
        _log.Info("kmsg: crash report complete: {0} ({1})", report.Title, report.Kind);
        _dumps.Tell(new CrashDetected(report, _ring.Snapshot()));
    }

    private static string Truncate(string raw) => raw.Length <= 120 ? raw.TrimEnd('\n') : raw[..120] + "…";
}
