using System.Collections.Immutable;
using System.Net;
using System.Net.NetworkInformation;

namespace Netoops.Actors.Targets;

/// <summary>
/// The user-settable parameters of one netpoll target (configfs attributes of REFERENCE §2).
/// Immutable: the owning actor swaps the whole value, so a snapshot handed out never changes.
/// </summary>
/// <param name="DevName">Interface name, or a MAC address (mainline accepts either).</param>
/// <param name="LocalIp">Null until set or defaulted by setup to the device's first address of the remote's family.</param>
/// <param name="RemoteMac">Kept for configfs compatibility; user space lets the kernel resolve neighbours.</param>
public sealed record TargetAttributes(
    string DevName,
    int LocalPort,
    int RemotePort,
    IPAddress? LocalIp,
    IPAddress RemoteIp,
    PhysicalAddress RemoteMac,
    bool Extended,
    bool Release,
    ImmutableSortedDictionary<string, string> Userdata,
    SysdataToggles Sysdata)
{
    public static readonly PhysicalAddress Broadcast = new([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

    /// <summary>The kernel's defaults: eth0, broadcast remote MAC, remote 0.0.0.0 until set.</summary>
    public static TargetAttributes Defaults(int localPort, int remotePort) => new(
        "eth0", localPort, remotePort, null, IPAddress.Any, Broadcast, Extended: false, Release: false,
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal),
        SysdataToggles.None);

    /// <summary>True when <see cref="DevName"/> names a device by MAC rather than by name.</summary>
    public PhysicalAddress? DevMac => TargetAttributeText.TryParseMac(DevName, out var mac) ? mac : null;
}

/// <summary>Mainline's sysdata toggles: extra dictionary lines appended to extended messages.</summary>
public sealed record SysdataToggles(bool CpuNr, bool TaskName, bool Release, bool MsgId)
{
    public static readonly SysdataToggles None = new(false, false, false, false);
}
