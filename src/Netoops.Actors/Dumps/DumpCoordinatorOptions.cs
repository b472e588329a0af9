using Akka.Actor;
using Netoops.Actors.Ports;

namespace Netoops.Actors.Dumps;

/// <param name="Netoops">The netoops targets subsystem.</param>
/// <param name="KernelVersion">uname -r, stamped into every packet.</param>
/// <param name="Uptime">Time since boot: dump_id and the rate limit read it (a seam for a virtual clock).</param>
/// <param name="ReportDeadline">How long targets get to answer before they count as timed out.</param>
/// <param name="DumpIds">Where the dump-id reservations outlive the process; null keeps them in memory.</param>
/// <param name="IdSource">Builds the id source over the store; null (production) is the <see cref="DumpIdAllocator"/>.
/// A seam for the chaos suite's mutants only.</param>
public sealed record DumpCoordinatorOptions(
    IActorRef Netoops,
    string KernelVersion,
    DumpPolicy Policy,
    Func<TimeSpan> Uptime,
    int Rounds = 3,
    TimeSpan Spacing = default,
    TimeSpan ReportDeadline = default,
    IDumpIdStore? DumpIds = null,
    Func<IDumpIdStore, IDumpIdSource>? IdSource = null,
    byte[]? FleetKey = null)
{
    public TimeSpan EffectiveDeadline => ReportDeadline > TimeSpan.Zero ? ReportDeadline : TimeSpan.FromSeconds(10);

    public static DumpCoordinatorOptions For(IActorRef netoops, string kernelVersion) =>
        new(netoops, kernelVersion, DumpPolicy.Default, () => TimeSpan.FromMilliseconds(Environment.TickCount64));
}
