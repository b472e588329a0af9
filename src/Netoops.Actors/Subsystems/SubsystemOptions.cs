using Netoops.Actors.Targets;

namespace Netoops.Actors.Subsystems;

/// <param name="Name">"netconsole" or "netoops": also the name targets report in their events.</param>
/// <param name="Targets">How each target is built (ports, defaults, lifecycle).</param>
/// <param name="BootTargets">Targets from the boot/module parameter, created as cmdline0… and enabled at start.</param>
/// <param name="HasNetoopsSettings">True for the netoops subsystem: it owns boot_id, user_blob, record_oom.</param>
public sealed record SubsystemOptions(
    string Name,
    TargetOptions Targets,
    IReadOnlyList<TargetAttributes> BootTargets,
    bool HasNetoopsSettings)
{
    public const int NetconsoleLocalPort = 6665;
    public const int NetconsoleRemotePort = 6666;
    public const int NetoopsPort = 2004;

    public static SubsystemOptions Netconsole(Ports.INetpoll netpoll, IReadOnlyList<TargetAttributes>? boot = null) =>
        new("netconsole", TargetOptions.For("netconsole", netpoll, NetconsoleLocalPort, NetconsoleRemotePort), boot ?? [], false);

    public static SubsystemOptions Netoops(Ports.INetpoll netpoll, IReadOnlyList<TargetAttributes>? boot = null) =>
        new("netoops", TargetOptions.For("netoops", netpoll, NetoopsPort, NetoopsPort), boot ?? [], true);
}
