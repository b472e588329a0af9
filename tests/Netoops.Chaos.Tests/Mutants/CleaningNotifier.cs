using Akka.Actor;
using Netoops.Actors.Ports;
using Netoops.Chaos.Tests.World;

namespace Netoops.Chaos.Tests.Mutants;

/// <summary>
/// The netdev notifier as it was before patch 4: on unregister or enslave it walks the targets and
/// cleans up (closes) every socket bound to that device itself, in its own context, then lets the
/// targets hear the event. The real notifier only forwards; each target cleans up in its own mailbox.
/// </summary>
public sealed class CleaningNotifier : ReceiveActor
{
    public CleaningNotifier(ChaosNetpoll netpoll, IActorRef subsystem)
    {
        Receive<LinkEvent>(e =>
        {
            if (e is DeviceUnregistered or DeviceEnslaved)
            {
                foreach (var channel in netpoll.Channels.Where(c => c.DeviceIndex == e.Index && c.CloseCalls == 0))
                    _ = channel.CloseAsync();
            }
            subsystem.Tell(e, Self);
        });
    }

    public static Props Props(ChaosNetpoll netpoll, IActorRef subsystem) =>
        Akka.Actor.Props.Create(() => new CleaningNotifier(netpoll, subsystem));
}
