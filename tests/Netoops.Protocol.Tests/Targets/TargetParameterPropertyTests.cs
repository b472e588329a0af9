using System.Net;
using FsCheck;
using FsCheck.Xunit;
using Netoops.Protocol.Targets;

namespace Netoops.Protocol.Tests.Targets;

public class TargetParameterPropertyTests
{
    [Property(MaxTest = 300)]
    public bool Any_target_written_canonically_parses_back_to_itself(
        bool extended, bool release, ushort localPort, ushort remotePort, uint localIp, uint remoteIp, bool noLocalIp,
        bool devByMac, ulong devMac, ulong remoteMac, bool ipv6)
    {
        IPAddress V4(uint value) => new(BitConverter.GetBytes(value));
        IPAddress V6(uint value) => IPAddress.Parse($"fd00::{value & 0xffff:x}:{value >> 16:x}");
        var target = new TargetParameter("cmdline0", extended, extended && release, localPort,
            noLocalIp ? null : ipv6 ? V6(localIp) : V4(localIp),
            devByMac ? "" : "eth" + (localPort % 10), devByMac ? new MacAddress(devMac & 0xffff_ffff_ffff) : null,
            remotePort, ipv6 ? V6(remoteIp) : V4(remoteIp), new MacAddress(remoteMac & 0xffff_ffff_ffff));

        return TargetParameters.TryParse(target.ToString(), TargetDefaults.Netconsole, "cmdline0", out var parsed, out _)
            && parsed == target;
    }

    [Property(MaxTest = 500)]
    public bool Any_string_is_parsed_or_refused_with_a_message_never_a_throw(string? text)
    {
        var ok = TargetParameters.TryParse(text ?? "", TargetDefaults.Netconsole, "cmdline0", out _, out var error);
        return ok || error.Length > 0;
    }
}
