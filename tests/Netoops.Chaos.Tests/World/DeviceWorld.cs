using System.Net.NetworkInformation;
using Netoops.Actors.Ports;

namespace Netoops.Chaos.Tests.World;

/// <summary>One network device of the pretend kernel. MAC and slot are fixed; index changes on re-register.</summary>
public sealed class Device(int slot, PhysicalAddress mac)
{
    public int Slot { get; } = slot;
    public PhysicalAddress Mac { get; } = mac;
    public int Index { get; set; }
    public string Name { get; set; } = "";
    public bool Registered { get; set; }
    public bool Up { get; set; }
    public int? Master { get; set; }

    /// <summary>True when it came back (a Register event) in this schedule and kept its name since.</summary>
    public bool ReturnedUnderItsName { get; set; }
}

/// <summary>
/// The kernel's device list as the chaos schedules change it: two devices that can be unregistered,
/// re-registered (with a new ifindex, like the kernel), renamed, enslaved, released and flapped.
/// Each change yields the link event the real notifier would see, so events always agree with the world.
/// </summary>
public sealed class DeviceWorld
{
    public static readonly string[] Names = ["eth0", "eth1", "wan0", "wan1"];
    private readonly object _gate = new();
    private int _nextIndex = 2;
    private readonly HashSet<int> _deadIndexes = [];

    public DeviceWorld()
    {
        Devices = [new Device(0, MacOf(0)), new Device(1, MacOf(1))];
        foreach (var d in Devices)
        {
            d.Index = _nextIndex++;
            d.Name = Names[d.Slot];
            d.Registered = true;
            d.Up = true;
        }
    }

    public IReadOnlyList<Device> Devices { get; }

    public static PhysicalAddress MacOf(int slot) => new([0x02, 0xc4, 0xa0, 0x5e, 0x00, (byte)(slot + 1)]);

    /// <summary>True once the device with this ifindex has been unregistered (indexes are never reused).</summary>
    public bool IsDead(int index)
    {
        lock (_gate) return _deadIndexes.Contains(index);
    }

    /// <summary>netpoll_setup's lookup: a registered device by name or by MAC.</summary>
    public Device? Find(string devName)
    {
        lock (_gate)
            return Devices.FirstOrDefault(d => d.Registered &&
                (d.Name == devName || (Netoops.Actors.Targets.TargetAttributeText.TryParseMac(devName, out var mac) && mac.Equals(d.Mac))));
    }

    public LinkEvent? Unregister(int slot)
    {
        lock (_gate)
        {
            var d = Devices[slot];
            if (!d.Registered) return null;
            d.Registered = false;
            d.Master = null;
            _deadIndexes.Add(d.Index);
            return new DeviceUnregistered(d.Index, d.Name, d.Mac);
        }
    }

    public LinkEvent? Register(int slot)
    {
        lock (_gate)
        {
            var d = Devices[slot];
            if (d.Registered) return null;
            d.Registered = true;
            d.Up = true;
            d.Index = _nextIndex++;
            d.ReturnedUnderItsName = true;
            return new DeviceRegistered(d.Index, d.Name, d.Mac);
        }
    }

    public LinkEvent? Rename(int slot, string name)
    {
        lock (_gate)
        {
            var d = Devices[slot];
            if (!d.Registered || Devices.Any(o => o.Name == name)) return null;
            var old = d.Name;
            d.Name = name;
            d.ReturnedUnderItsName = false;
            return new DeviceRenamed(d.Index, old, name, d.Mac);
        }
    }

    public LinkEvent? Enslave(int slot)
    {
        lock (_gate)
        {
            var d = Devices[slot];
            if (!d.Registered || d.Master is not null) return null;
            d.Master = 99;
            return new DeviceEnslaved(d.Index, d.Name, d.Mac, 99);
        }
    }

    public LinkEvent? Release(int slot)
    {
        lock (_gate)
        {
            var d = Devices[slot];
            if (!d.Registered || d.Master is null) return null;
            d.Master = null;
            return new DeviceReleased(d.Index, d.Name, d.Mac);
        }
    }

    public LinkEvent? SetUp(int slot, bool up)
    {
        lock (_gate)
        {
            var d = Devices[slot];
            if (!d.Registered || d.Up == up) return null;
            d.Up = up;
            return new LinkStateChanged(d.Index, d.Name, d.Mac, up);
        }
    }
}
