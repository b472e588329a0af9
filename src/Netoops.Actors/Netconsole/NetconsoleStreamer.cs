using Akka.Actor;
using Netoops.Actors.Targets;
using Netoops.Protocol.Kmsg;

namespace Netoops.Actors.Netconsole;

/// <summary>One log record for the netconsole targets. <paramref name="PartOfCrash"/>: the crash detector saw it inside a report.</summary>
public sealed record StreamLog(KmsgRecord Record, bool PartOfCrash);

/// <summary>Reply: <see cref="StreamerStats"/>.</summary>
public sealed record GetStreamerStats;

public sealed record StreamerStats(long Forwarded, long SkippedOopsOnly, long RateLimited);

/// <param name="Netconsole">The netconsole targets subsystem.</param>
/// <param name="OopsOnly">netconsole's oops_only: send only records that belong to a crash report.</param>
/// <param name="RatePerSecond">Token bucket refill for ordinary records; crash records bypass it.</param>
/// <param name="Release">uname -r, for targets with release or release_enabled.</param>
/// <param name="Clock">Monotonic time for the bucket (a seam for a virtual clock).</param>
public sealed record NetconsoleStreamerOptions(
    IActorRef Netconsole,
    bool OopsOnly,
    double RatePerSecond,
    int Burst,
    string Release,
    Func<TimeSpan> Clock)
{
    public static NetconsoleStreamerOptions For(IActorRef netconsole, string release) =>
        new(netconsole, OopsOnly: false, RatePerSecond: 1000, Burst: 5000, release,
            () => TimeSpan.FromMilliseconds(Environment.TickCount64));
}

/// <summary>
/// drivers/net/netconsole.c's write path: every log record goes to every netconsole target, each
/// of which formats it (basic or extended, its own userdata, sysdata and msgid) and sends it only
/// if Enabled with link. Here only the fleet-wide filters live: oops_only and a rate limit that a
/// crash report never waits on (the report is what the collector needs most).
/// </summary>
public sealed class NetconsoleStreamer : ReceiveActor
{
    private readonly NetconsoleStreamerOptions _options;
    private readonly TokenBucket _bucket;
    private long _forwarded;
    private long _skipped;
    private long _limited;

    public NetconsoleStreamer(NetconsoleStreamerOptions options)
    {
        _options = options;
        _bucket = new TokenBucket(options.RatePerSecond, options.Burst);
        Receive<StreamLog>(OnLog);
        Receive<GetStreamerStats>(_ => Sender.Tell(new StreamerStats(_forwarded, _skipped, _limited)));
    }

    public static Props Props(NetconsoleStreamerOptions options) => Akka.Actor.Props.Create(() => new NetconsoleStreamer(options));

    private void OnLog(StreamLog log)
    {
        if (_options.OopsOnly && !log.PartOfCrash)
        {
            _skipped++;
            return;
        }
        if (!log.PartOfCrash && !_bucket.TryTake(_options.Clock()))
        {
            _limited++;
            return;
        }
        _forwarded++;
        _options.Netconsole.Tell(new StreamRecord(log.Record, _options.Release));
    }
}
