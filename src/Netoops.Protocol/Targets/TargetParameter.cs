using System.Net;
using System.Text;

namespace Netoops.Protocol.Targets;

/// <summary>
/// One target from a boot/module parameter
/// <c>[+][r][src-port]@[src-ip]/[dev],[tgt-port]@&lt;tgt-ip&gt;/[tgt-macaddr]</c>.
/// </summary>
/// <param name="Name">Boot targets are named <c>cmdline0</c>, <c>cmdline1</c>, … in list order.</param>
/// <param name="LocalIp">Null when left out: setup takes the device's first IPv4 address.</param>
/// <param name="DevName">The device by name; empty when <paramref name="DevMac"/> names it instead.</param>
/// <param name="DevMac">The device by MAC address (mainline), or null.</param>
public sealed record TargetParameter(
    string Name,
    bool Extended,
    bool Release,
    ushort LocalPort,
    IPAddress? LocalIp,
    string DevName,
    MacAddress? DevMac,
    ushort RemotePort,
    IPAddress RemoteIp,
    MacAddress RemoteMac)
{
    public bool IsIPv6 => RemoteIp.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;

    /// <summary>The canonical parameter string: every field spelled out, parses back to this target.</summary>
    public override string ToString()
    {
        var s = new StringBuilder();
        if (Extended)
            s.Append('+');
        if (Release)
            s.Append('r');
        s.Append(LocalPort).Append('@').Append(LocalIp?.ToString() ?? "").Append('/');
        s.Append(DevMac?.ToString() ?? DevName).Append(',');
        s.Append(RemotePort).Append('@').Append(RemoteIp).Append('/').Append(RemoteMac);
        return s.ToString();
    }
}
