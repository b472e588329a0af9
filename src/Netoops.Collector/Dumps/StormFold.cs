using Akka.Actor;
using Netoops.Collector.Analysis;

namespace Netoops.Collector.Dumps;

/// <summary>
/// What a shard needs to count a storm's dump without analysing it: the analyses the analysts
/// remembered by fingerprint, and the store writer the occurrence goes to straight away.
/// </summary>
public sealed record StormFold(RecentAnalyses Recent, IActorRef Store);
