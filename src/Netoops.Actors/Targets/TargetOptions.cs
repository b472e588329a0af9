using Netoops.Actors.Ports;

namespace Netoops.Actors.Targets;

/// <summary>Everything a target actor is built from. Ports are the seams tests and chaos swap.</summary>
/// <param name="Lifecycle">Builds the lifecycle for a target name; the chaos suite injects mutants here.</param>
/// <param name="CarrierTimeout">How long setup waits for carrier before going on (the kernel's carrier_timeout).</param>
/// <param name="BurstSize">Datagrams sent per mailbox turn when sending back to back, so that a
/// disable or drop never waits behind a whole dump.</param>
public sealed record TargetOptions(
    string Subsystem,
    INetpoll Netpoll,
    TargetAttributes Defaults,
    Func<string, ITargetLifecycle> Lifecycle,
    TimeSpan CarrierTimeout,
    int BurstSize = 64)
{
    public static readonly TimeSpan DefaultCarrierTimeout = TimeSpan.FromSeconds(4);

    public static TargetOptions For(string subsystem, INetpoll netpoll, int localPort, int remotePort) => new(
        subsystem, netpoll, TargetAttributes.Defaults(localPort, remotePort),
        name => new TargetLifecycle(name), DefaultCarrierTimeout);
}
