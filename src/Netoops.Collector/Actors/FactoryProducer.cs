using Akka.Actor;

namespace Netoops.Collector.Actors;

/// <summary>
/// Creates actors with a plain delegate. `Props.Create(() => new X(...))` evaluates an expression
/// tree on every spawn, which dominated the cost of one entity per netoops dump under floods.
/// </summary>
internal sealed class FactoryProducer<TActor>(Func<TActor> factory) : IIndirectActorProducer where TActor : ActorBase
{
    public Type ActorType => typeof(TActor);
    public ActorBase Produce() => factory();
    public void Release(ActorBase actor) { }

    public static Props Props(Func<TActor> factory) => Akka.Actor.Props.CreateBy(new FactoryProducer<TActor>(factory));
}
