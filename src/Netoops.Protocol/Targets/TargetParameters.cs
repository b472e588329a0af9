using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Netoops.Protocol.Targets;

/// <summary>
/// Parses the netconsole/netoops boot parameter the way the kernel's option parser reads it, with
/// the kernel's own error messages: <c>couldn't parse config at '&lt;rest&gt;'!</c> names the part
/// that failed.
/// </summary>
public static class TargetParameters
{
    public const string ReleaseNeedsExtended =
        "Netconsole configuration error. Release feature requires extended log message";

    /// <summary>Device names are at most IFNAMSIZ − 1 = 15 characters.</summary>
    public const int MaxDevNameLength = 15;

    /// <summary>Parses a <c>;</c>-separated list; targets are named cmdline0, cmdline1, … An empty text is an empty list.</summary>
    public static bool TryParseList(
        string text, TargetDefaults defaults, out IReadOnlyList<TargetParameter> targets, out string error)
    {
        var parsed = new List<TargetParameter>();
        targets = parsed;
        error = "";
        // As in the kernel: an empty parameter configures no target; an empty entry in a list is an error.
        if (text.Length == 0)
            return true;
        var parts = text.Split(';');
        for (var i = 0; i < parts.Length; i++)
        {
            if (!TryParse(parts[i], defaults, $"cmdline{i}", out var target, out error))
                return false;
            parsed.Add(target);
        }
        error = "";
        return true;
    }

    /// <summary>Parses one target. On failure <paramref name="error"/> is the kernel's message.</summary>
    public static bool TryParse(
        string text, TargetDefaults defaults, string name, out TargetParameter target, out string error)
    {
        target = null!;
        var cur = text.AsSpan();

        var extended = defaults.HasExtendedFormat && cur.StartsWith("+");
        if (extended)
            cur = cur[1..];
        var release = defaults.HasExtendedFormat && cur.StartsWith("r");
        if (release)
        {
            if (!extended)
                return Fail(ReleaseNeedsExtended, out error);
            cur = cur[1..];
        }

        // [src-port]@
        var localPort = defaults.LocalPort;
        if (!cur.StartsWith("@"))
        {
            var at = cur.IndexOf('@');
            if (at < 0)
                return ParseFailed(cur, out error);
            if (!TryParsePort(cur[..at], out localPort))
                return ParseFailed(cur[..at], out error);
            cur = cur[at..];
        }
        cur = cur[1..];

        // [src-ip]/
        IPAddress? localIp = null;
        if (!cur.StartsWith("/"))
        {
            var slash = cur.IndexOf('/');
            if (slash < 0)
                return ParseFailed(cur, out error);
            if (!TryParseIp(cur[..slash], out localIp))
                return ParseFailed(cur[..slash], out error);
            cur = cur[slash..];
        }
        cur = cur[1..];

        // [dev], : a name, or a MAC address when it holds a colon
        var devName = TargetDefaults.DefaultDevName;
        MacAddress? devMac = null;
        if (!cur.StartsWith(","))
        {
            var comma = cur.IndexOf(',');
            if (comma < 0)
                return ParseFailed(cur, out error);
            var dev = cur[..comma];
            if (dev.Contains(':'))
            {
                if (!MacAddress.TryParse(dev, out var mac))
                    return ParseFailed(dev, out error);
                devMac = mac;
                devName = "";
            }
            else
            {
                if (dev.Length > MaxDevNameLength || dev.ContainsAny(" \t/"))
                    return ParseFailed(dev, out error);
                devName = dev.ToString();
            }
            cur = cur[comma..];
        }
        cur = cur[1..];

        // [tgt-port]@
        var remotePort = defaults.RemotePort;
        if (!cur.StartsWith("@"))
        {
            var at = cur.IndexOf('@');
            if (at < 0)
                return ParseFailed(cur, out error);
            if (!TryParsePort(cur[..at], out remotePort))
                return ParseFailed(cur[..at], out error);
            cur = cur[at..];
        }
        cur = cur[1..];

        // <tgt-ip>/ : required, and of the same family as the source address
        var targetSlash = cur.IndexOf('/');
        if (targetSlash < 0)
            return ParseFailed(cur, out error);
        if (!TryParseIp(cur[..targetSlash], out var remoteIp)
            || (localIp is not null && localIp.AddressFamily != remoteIp.AddressFamily))
            return ParseFailed(cur[..targetSlash], out error);
        cur = cur[(targetSlash + 1)..];

        // [tgt-macaddr]
        var remoteMac = MacAddress.Broadcast;
        if (!cur.IsEmpty && !MacAddress.TryParse(cur, out remoteMac))
            return ParseFailed(cur, out error);

        target = new TargetParameter(name, extended, release, localPort, localIp, devName, devMac, remotePort, remoteIp, remoteMac);
        error = "";
        return true;
    }

    /// <summary>A decimal port 0–65535, digits only (no sign, no spaces).</summary>
    public static bool TryParsePort(ReadOnlySpan<char> text, out ushort port) =>
        ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port);

    /// <summary>A dotted-quad IPv4 address, or an IPv6 address without scope or brackets.</summary>
    public static bool TryParseIp(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':'))
        {
            if (text.ContainsAny("%[]") || !IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
                return false;
            address = v6;
            return true;
        }
        Span<byte> octets = stackalloc byte[4];
        var part = 0;
        foreach (var range in text.Split('.'))
        {
            var digits = text[range];
            if (part == 4 || digits.Length is 0 or > 3
                || !byte.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out octets[part]))
                return false;
            part++;
        }
        if (part != 4)
            return false;
        address = new IPAddress(octets);
        return true;
    }

    private static bool ParseFailed(ReadOnlySpan<char> at, out string error) =>
        Fail($"couldn't parse config at '{at}'!", out error);

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
