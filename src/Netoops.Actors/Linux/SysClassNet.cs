using System.Globalization;
using System.Net.NetworkInformation;
using Netoops.Actors.Targets;

namespace Netoops.Actors.Linux;

/// <summary>
/// Reads network devices from /sys/class/net (the calling process's network namespace at mount
/// time). Small, synchronous file reads; used only from setup tasks, never inside an actor.
/// </summary>
public sealed class SysClassNet(string root = "/sys/class/net")
{
    public sealed record Device(string Name, int Index, PhysicalAddress Mac, bool IsBondSlave, bool AdminUp);

    /// <summary>Finds a device by interface name, or by MAC when <paramref name="nameOrMac"/> is one.</summary>
    public Device? Find(string nameOrMac)
    {
        if (TargetAttributeText.TryParseMac(nameOrMac, out var mac))
        {
            foreach (var dir in SafeList())
            {
                var d = Read(Path.GetFileName(dir));
                if (d is not null && d.Mac.Equals(mac)) return d;
            }
            return null;
        }
        if (nameOrMac.Contains('/') || nameOrMac is "." or "..") return null;
        return Read(nameOrMac);
    }

    /// <summary>True when carrier is up; false when down or unreadable (a down device refuses the read).</summary>
    public bool HasCarrier(string name) => ReadText(name, "carrier") == "1";

    public Device? Read(string name)
    {
        var ifindex = ReadText(name, "ifindex");
        if (ifindex is null || !int.TryParse(ifindex, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return null;
        var address = ReadText(name, "address");
        var mac = address is not null && TargetAttributeText.TryParseMac(address, out var m) ? m : PhysicalAddress.None;
        var flags = ReadText(name, "flags");
        var up = flags is not null && flags.StartsWith("0x", StringComparison.Ordinal) &&
                 int.TryParse(flags[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var f) && (f & 1) != 0;
        var slave = Directory.Exists(Path.Combine(root, name, "bonding_slave"));
        return new Device(name, index, mac, slave, up);
    }

    private IEnumerable<string> SafeList()
    {
        try
        {
            return Directory.GetFileSystemEntries(root);
        }
        catch (IOException)
        {
            return [];
        }
    }

    private string? ReadText(string name, string file)
    {
        try
        {
            return File.ReadAllText(Path.Combine(root, name, file)).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
