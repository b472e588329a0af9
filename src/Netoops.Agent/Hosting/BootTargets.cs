using System.Net.NetworkInformation;
using Netoops.Actors.Targets;
using Netoops.Protocol.Targets;

namespace Netoops.Agent.Hosting;

/// <summary>Turns a <c>--netoops</c> / <c>--netconsole</c> parameter into the subsystem's boot targets (cmdline0…).</summary>
public static class BootTargets
{
    /// <summary>The targets, or an error in the kernel's words naming the part that failed.</summary>
    public static IReadOnlyList<TargetAttributes> Parse(string? parameter, TargetDefaults defaults, string option)
    {
        if (string.IsNullOrWhiteSpace(parameter)) return [];
        if (!TargetParameters.TryParseList(parameter.Trim(), defaults, out var targets, out var error))
            throw new AgentConfigurationException([$"{option}: {error}"]);
        return targets.Select(t => ToAttributes(t, defaults)).ToList();
    }

    private static TargetAttributes ToAttributes(TargetParameter p, TargetDefaults defaults)
        => TargetAttributes.Defaults(defaults.LocalPort, defaults.RemotePort) with
        {
            DevName = p.DevMac is { } mac ? mac.ToString() : (p.DevName.Length > 0 ? p.DevName : TargetDefaults.DefaultDevName),
            LocalPort = p.LocalPort,
            RemotePort = p.RemotePort,
            LocalIp = p.LocalIp,
            RemoteIp = p.RemoteIp,
            RemoteMac = new PhysicalAddress(p.RemoteMac.ToBytes()),
            Extended = p.Extended,
            Release = p.Release,
        };
}
