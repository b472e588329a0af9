using System.Net.NetworkInformation;
using Netoops.Actors.Targets;
using Netoops.Protocol.Targets;

namespace Netoops.Actors.Subsystems;

/// <summary>
/// Turns the boot/module parameter (<c>[+][r][src-port]@[src-ip]/[dev],[tgt-port]@&lt;tgt-ip&gt;/[tgt-mac]</c>,
/// <c>;</c>-separated) into the attributes of cmdline0, cmdline1, … using the protocol parser.
/// </summary>
public static class BootTargets
{
    public static bool TryParse(string parameter, TargetDefaults defaults, out IReadOnlyList<TargetAttributes> targets, out string error)
    {
        targets = [];
        if (string.IsNullOrWhiteSpace(parameter))
        {
            error = "";
            return true;
        }
        if (!TargetParameters.TryParseList(parameter, defaults, out var parsed, out error))
            return false;
        var baseline = TargetAttributes.Defaults(defaults.LocalPort, defaults.RemotePort);
        targets = parsed.Select(p => baseline with
        {
            DevName = p.DevMac is { } mac ? TargetAttributeText.FormatMac(new PhysicalAddress(mac.ToBytes())) : (p.DevName.Length == 0 ? baseline.DevName : p.DevName),
            LocalPort = p.LocalPort,
            RemotePort = p.RemotePort,
            LocalIp = p.LocalIp,
            RemoteIp = p.RemoteIp,
            RemoteMac = new PhysicalAddress(p.RemoteMac.ToBytes()),
            Extended = p.Extended,
            Release = p.Release,
        }).ToList();
        return true;
    }
}
