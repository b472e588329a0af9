using Akka.Actor;
using Netoops.Collector.Analysis;

namespace Netoops.Collector.Dumps;

/// <summary>
/// What a shard needs to count a storm's dump without analysing it: the analyses remembered by
/// fingerprint, and the store writer its occurrence goes to straight away (it never joins the
/// analysis backlog, which is what a storm used to overflow).
/// </summary>
public sealed record StormFold(RecentAnalyses Recent, IActorRef Store);
