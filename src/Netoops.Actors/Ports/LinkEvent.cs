using System.Net.NetworkInformation;

namespace Netoops.Actors.Ports;

/// <summary>
/// A network device event, as the kernel's netdev notifier chain would deliver it to
/// netpoll_targets. <paramref name="Index"/> is the ifindex, stable across renames.
/// </summary>
public abstract record LinkEvent(int Index, string Name, PhysicalAddress Mac)
{
    /// <summary>True when a target whose dev_name is <paramref name="devName"/> (a name or a MAC) is bound to this device.</summary>
    public bool Concerns(string devName) =>
        string.Equals(devName, Name, StringComparison.Ordinal) ||
        (Targets.TargetAttributeText.TryParseMac(devName, out var mac) && mac.Equals(Mac));
}

/// <summary>NETDEV_REGISTER: a device appeared (or was already there when listening started).</summary>
public sealed record DeviceRegistered(int Index, string Name, PhysicalAddress Mac) : LinkEvent(Index, Name, Mac);

/// <summary>NETDEV_UNREGISTER: the device is gone.</summary>
public sealed record DeviceUnregistered(int Index, string Name, PhysicalAddress Mac) : LinkEvent(Index, Name, Mac);

/// <summary>NETDEV_CHANGENAME: same index, new name. <see cref="LinkEvent.Name"/> is the new name.</summary>
public sealed record DeviceRenamed(int Index, string OldName, string Name, PhysicalAddress Mac) : LinkEvent(Index, Name, Mac);

/// <summary>The device became a slave of <paramref name="MasterIndex"/> (a bond or bridge took it).</summary>
public sealed record DeviceEnslaved(int Index, string Name, PhysicalAddress Mac, int MasterIndex) : LinkEvent(Index, Name, Mac);

/// <summary>The device was released by its master.</summary>
public sealed record DeviceReleased(int Index, string Name, PhysicalAddress Mac) : LinkEvent(Index, Name, Mac);

/// <summary>Operational state changed (carrier and admin state together: can it carry packets now).</summary>
public sealed record LinkStateChanged(int Index, string Name, PhysicalAddress Mac, bool Up) : LinkEvent(Index, Name, Mac);
