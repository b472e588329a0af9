namespace Netoops.Protocol.Netconsole;

/// <summary>
/// The sysdata lines mainline netconsole appends after userdata when their toggles are on
/// (<c>cpu_nr_enabled</c>, <c>taskname_enabled</c>, <c>release_enabled</c>, <c>msgid_enabled</c>), in that order.
/// </summary>
public static class Sysdata
{
    public static IReadOnlyList<KeyValuePair<string, string>> Lines(int? cpu = null, string? taskName = null, string? release = null, uint? messageId = null)
    {
        var lines = new List<KeyValuePair<string, string>>(4);
        if (cpu is { } c)
            lines.Add(new("cpu", c.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (taskName is not null)
            lines.Add(new("taskname", taskName));
        if (release is not null)
            lines.Add(new("release", release));
        if (messageId is { } id)
            lines.Add(new("msgid", id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return lines;
    }
}
