using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;

namespace Netoops.Actors.Targets;

/// <summary>What a configfs-style text write to an attribute asks for.</summary>
public abstract record AttributeWrite;

/// <summary>A parameter change: allowed only while the target is Disabled or Deactivated (patch 2).</summary>
public sealed record ParameterWrite(TargetAttributes Updated) : AttributeWrite;

/// <summary>A change allowed at any time (userdata and sysdata toggles, like mainline).</summary>
public sealed record LiveWrite(TargetAttributes Updated) : AttributeWrite;

/// <summary>A write to <c>enabled</c>.</summary>
public sealed record EnabledWrite(bool Enable) : AttributeWrite;

/// <summary>The text is not acceptable for that attribute; <paramref name="Reason"/> says why.</summary>
public sealed record RefusedWrite(string Reason) : AttributeWrite;

/// <summary>What a read needs besides the attributes: facts only the running target knows.</summary>
public sealed record TargetFacts(bool Enabled, PhysicalAddress? LocalMac, long TransmitErrors);

/// <summary>
/// Pure configfs text semantics for target attributes: parse a written value (one trailing
/// newline allowed, ranges checked, exact errors) and format a read value (newline-terminated).
/// </summary>
public static class TargetAttributeText
{
    public const int MaxDevNameLength = 15; // IFNAMSIZ - 1
    public const int MaxUserdataKeyLength = 53;
    public const int MaxUserdataValueBytes = 200;
    public const int MaxUserdataEntries = 256;
    private const string UserdataPrefix = "userdata/";
    private const string ValueSuffix = "/value";

    public static readonly IReadOnlyList<string> Names =
    [
        "enabled", "dev_name", "local_port", "remote_port", "local_ip", "remote_ip", "local_mac",
        "remote_mac", "extended", "release", "transmit_errors",
        "cpu_nr_enabled", "taskname_enabled", "release_enabled", "msgid_enabled",
    ];

    public static AttributeWrite Parse(TargetAttributes current, string attribute, string text)
    {
        var value = StripNewline(text);
        switch (SysdataName(attribute))
        {
            case "enabled":
                return TryParseBool(value, out var on) ? new EnabledWrite(on) : Refuse(attribute, "expects 0 or 1");
            case "dev_name":
                return ParseDevName(current, value);
            case "local_port":
                return TryParsePort(value, out var lp) ? new ParameterWrite(current with { LocalPort = lp }) : Refuse(attribute, "expects a port 0..65535");
            case "remote_port":
                return TryParsePort(value, out var rp) ? new ParameterWrite(current with { RemotePort = rp }) : Refuse(attribute, "expects a port 0..65535");
            case "local_ip":
                return TryParseIp(value, out var lip) ? new ParameterWrite(current with { LocalIp = lip }) : Refuse(attribute, "expects an IPv4 or IPv6 address");
            case "remote_ip":
                return TryParseIp(value, out var rip) ? new ParameterWrite(current with { RemoteIp = rip }) : Refuse(attribute, "expects an IPv4 or IPv6 address");
            case "remote_mac":
                return TryParseMac(value, out var mac) ? new ParameterWrite(current with { RemoteMac = mac }) : Refuse(attribute, "expects a MAC address aa:bb:cc:dd:ee:ff");
            case "extended":
                if (!TryParseBool(value, out var ext)) return Refuse(attribute, "expects 0 or 1");
                // Release lines only exist in the extended format, so turning extended off turns release off.
                return new ParameterWrite(current with { Extended = ext, Release = ext && current.Release });
            case "release":
                if (!TryParseBool(value, out var rel)) return Refuse(attribute, "expects 0 or 1");
                if (rel && !current.Extended) return Refuse(attribute, "needs extended=1 first");
                return new ParameterWrite(current with { Release = rel });
            case "local_mac" or "transmit_errors":
                return Refuse(attribute, "is read-only");
            case "cpu_nr_enabled":
                return ParseToggle(current, attribute, value, (s, b) => s with { CpuNr = b });
            case "taskname_enabled":
                return ParseToggle(current, attribute, value, (s, b) => s with { TaskName = b });
            case "release_enabled":
                return ParseToggle(current, attribute, value, (s, b) => s with { Release = b });
            case "msgid_enabled":
                return ParseToggle(current, attribute, value, (s, b) => s with { MsgId = b });
        }
        if (TryUserdataKey(attribute, out var key))
            return ParseUserdata(current, key, value);
        return new RefusedWrite($"no attribute '{attribute}'");
    }

    /// <summary>Formats an attribute as configfs shows it, or null when there is no such attribute.</summary>
    public static string? Format(TargetAttributes a, TargetFacts facts, string attribute) => SysdataName(attribute) switch
    {
        "enabled" => Bool(facts.Enabled),
        "dev_name" => a.DevName + "\n",
        "local_port" => a.LocalPort.ToString(CultureInfo.InvariantCulture) + "\n",
        "remote_port" => a.RemotePort.ToString(CultureInfo.InvariantCulture) + "\n",
        "local_ip" => (a.LocalIp ?? (a.RemoteIp.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any)) + "\n",
        "remote_ip" => a.RemoteIp + "\n",
        "local_mac" => FormatMac(facts.LocalMac ?? TargetAttributes.Broadcast) + "\n",
        "remote_mac" => FormatMac(a.RemoteMac) + "\n",
        "extended" => Bool(a.Extended),
        "release" => Bool(a.Release),
        "transmit_errors" => facts.TransmitErrors.ToString(CultureInfo.InvariantCulture) + "\n",
        "cpu_nr_enabled" => Bool(a.Sysdata.CpuNr),
        "taskname_enabled" => Bool(a.Sysdata.TaskName),
        "release_enabled" => Bool(a.Sysdata.Release),
        "msgid_enabled" => Bool(a.Sysdata.MsgId),
        _ => TryUserdataKey(attribute, out var key)
            ? a.Userdata.TryGetValue(key, out var v) ? v + "\n" : null
            : null,
    };

    public static string FormatMac(PhysicalAddress mac) =>
        string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

    public static bool TryParseMac(string text, out PhysicalAddress mac)
    {
        mac = TargetAttributes.Broadcast;
        var parts = text.Split(':');
        if (parts.Length != 6) return false;
        var bytes = new byte[6];
        for (var i = 0; i < 6; i++)
        {
            if (parts[i].Length != 2 || !byte.TryParse(parts[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out bytes[i]))
                return false;
        }
        mac = new PhysicalAddress(bytes);
        return true;
    }

    /// <summary>configfs passes the written buffer as is; `echo` adds one newline, which is not part of the value.</summary>
    private static string StripNewline(string text) => text.EndsWith('\n') ? text[..^1] : text;

    /// <summary>kstrtobool's forms: 1/0, y/n, on/off (case-insensitive first letters).</summary>
    private static bool TryParseBool(string value, out bool result)
    {
        result = false;
        switch (value.ToLowerInvariant())
        {
            case "1" or "y" or "yes" or "on": result = true; return true;
            case "0" or "n" or "no" or "off": return true;
            default: return false;
        }
    }

    private static bool TryParsePort(string value, out int port) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= ushort.MaxValue;

    /// <summary>Like the kernel: a ':' means IPv6, otherwise dotted-quad IPv4 (no shorthand forms).</summary>
    private static bool TryParseIp(string value, out IPAddress address)
    {
        address = IPAddress.None;
        if (!IPAddress.TryParse(value, out var parsed)) return false;
        var v6 = value.Contains(':');
        if (v6 != (parsed.AddressFamily == AddressFamily.InterNetworkV6)) return false;
        if (!v6 && value.Count(c => c == '.') != 3) return false;
        address = parsed;
        return true;
    }

    private static AttributeWrite ParseDevName(TargetAttributes current, string value)
    {
        if (value.Length == 0) return Refuse("dev_name", "must not be empty");
        if (TryParseMac(value, out _)) return new ParameterWrite(current with { DevName = value.ToLowerInvariant() });
        if (value.Length > MaxDevNameLength) return Refuse("dev_name", $"is longer than {MaxDevNameLength} characters");
        if (value is "." or ".." || value.Any(c => c == '/' || c == ':' || char.IsWhiteSpace(c) || char.IsControl(c)))
            return Refuse("dev_name", "is not a valid interface name or MAC");
        return new ParameterWrite(current with { DevName = value });
    }

    private static AttributeWrite ParseToggle(TargetAttributes current, string attribute, string value,
        Func<SysdataToggles, bool, SysdataToggles> set) =>
        TryParseBool(value, out var on) ? new LiveWrite(current with { Sysdata = set(current.Sysdata, on) }) : Refuse(attribute, "expects 0 or 1");

    private static AttributeWrite ParseUserdata(TargetAttributes current, string key, string value)
    {
        if (key.Length == 0 || key.Length > MaxUserdataKeyLength || key.Any(c => c == '/' || c == '=' || char.IsWhiteSpace(c) || char.IsControl(c)))
            return new RefusedWrite($"userdata key '{key}' must be 1..{MaxUserdataKeyLength} characters without '/', '=', spaces or control characters");
        if (Encoding.UTF8.GetByteCount(value) > MaxUserdataValueBytes)
            return new RefusedWrite($"userdata value for '{key}' is longer than {MaxUserdataValueBytes} bytes");
        if (value.Any(char.IsControl))
            return new RefusedWrite($"userdata value for '{key}' must not contain control characters");
        if (value.Length == 0)
            return new LiveWrite(current with { Userdata = current.Userdata.Remove(key) });
        if (!current.Userdata.ContainsKey(key) && current.Userdata.Count >= MaxUserdataEntries)
            return new RefusedWrite($"userdata already holds {MaxUserdataEntries} entries");
        return new LiveWrite(current with { Userdata = current.Userdata.SetItem(key, value) });
    }

    /// <summary>Accepts <c>userdata/&lt;key&gt;/value</c> (the configfs path) or <c>userdata/&lt;key&gt;</c>.</summary>
    private static bool TryUserdataKey(string attribute, out string key)
    {
        key = "";
        if (!attribute.StartsWith(UserdataPrefix, StringComparison.Ordinal)) return false;
        key = attribute[UserdataPrefix.Length..];
        if (key.EndsWith(ValueSuffix, StringComparison.Ordinal)) key = key[..^ValueSuffix.Length];
        return true;
    }

    /// <summary>Mainline keeps the sysdata toggles inside userdata/; accept both spellings.</summary>
    private static string SysdataName(string attribute) => attribute switch
    {
        "userdata/cpu_nr_enabled" or "userdata/taskname_enabled" or "userdata/release_enabled" or "userdata/msgid_enabled"
            => attribute[UserdataPrefix.Length..],
        _ => attribute,
    };

    private static string Bool(bool b) => b ? "1\n" : "0\n";

    private static RefusedWrite Refuse(string attribute, string why) => new($"{attribute} {why}");
}
