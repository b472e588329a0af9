using Akka.Actor;
using Netoops.Collector.Actors;
using Netoops.Collector.Analysis;
using Netoops.Collector.Hosting;
using Netoops.Collector.Metrics;
using Netoops.Collector.Storage;

namespace Netoops.Collector.Netconsole;

/// <summary>Lines a netconsole session captured around a possible crash report, oldest first.</summary>
public sealed record AnalyzeStreamCrash(
    string Host, string Source, DateTimeOffset FirstSeen, string? Release, IReadOnlyList<string> Lines, bool Ended);

/// <summary>
/// Runs analysis on captured netconsole lines off the receive thread (/user/netconsole-crashes):
/// a report found → stored like a dump, with the captured lines as its log text; none found (the
/// trigger was a false alarm, e.g. a "WARNING: " in an ordinary message) → dropped.
/// </summary>
public sealed class StreamCrashAnalyst : ReceiveActor
{
    public StreamCrashAnalyst(ICrashAnalyzer analyzer, IActorRef store, CollectorMetrics metrics)
    {
        Receive<AnalyzeStreamCrash>(m =>
        {
            BackgroundWork.LowerIfOwnThread();
            var text = string.Join('\n', m.Lines);
            if (analyzer.TryAnalyze(text) is not { } analysis) return;
            metrics.NetconsoleCrashes.Increment();
            store.Tell(new StoreCrash(new CrashRecord
            {
                Origin = CrashOrigin.Netconsole,
                HostAddress = m.Host,
                Source = m.Source,
                ReceivedAt = m.FirstSeen,
                BucketKey = analysis.BucketKey,
                Title = analysis.Title,
                Kind = analysis.Kind,
                Kernel = analysis.Kernel.Length > 0 ? analysis.Kernel : m.Release ?? "",
                Machine = analysis.Machine,
                Registers = analysis.Registers,
                Complete = m.Ended,
                Report = analysis.Report,
                LogText = text,
            }));
        });
    }

    public static Props Props(ICrashAnalyzer analyzer, IActorRef store, CollectorMetrics metrics) =>
        Akka.Actor.Props.Create(() => new StreamCrashAnalyst(analyzer, store, metrics));
}
