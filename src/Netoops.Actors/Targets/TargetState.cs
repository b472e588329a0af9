namespace Netoops.Actors.Targets;

/// <summary>
/// Where a netpoll target is in its life. SettingUp and Cleaning are the transitional states of
/// patch 3: while a target is in one of them only the owner of the transition may act on it.
/// </summary>
public enum TargetState
{
    Disabled,
    SettingUp,
    Enabled,
    Cleaning,
    /// <summary>Its device was unregistered while enabled; resumes when that device returns.</summary>
    Deactivated,
    /// <summary>Removed (rmdir); terminal.</summary>
    Dropped,
}

/// <summary>What can happen to a target. Every state change is one of these fired at the machine.</summary>
public enum TargetTrigger
{
    /// <summary>User wrote <c>enabled=1</c>.</summary>
    Enable,
    /// <summary>User wrote <c>enabled=0</c>.</summary>
    Disable,
    SetupSucceeded,
    SetupFailed,
    CleanupDone,
    DeviceUnregistered,
    /// <summary>The device became a bond slave (BONDING_DESLAVE / NETDEV_JOIN in the kernel).</summary>
    DeviceEnslaved,
    /// <summary>A device with the target's name or MAC registered.</summary>
    DeviceRegistered,
    /// <summary>User wrote a parameter attribute (dev_name, ports, addresses, extended, release).</summary>
    WriteAttribute,
    /// <summary>User removed the target (rmdir).</summary>
    Drop,
}
