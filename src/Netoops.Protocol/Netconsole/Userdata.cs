namespace Netoops.Protocol.Netconsole;

/// <summary>
/// Rules for netconsole userdata entries (configfs <c>userdata/&lt;key&gt;/value</c>), so that a bad
/// attribute write is refused with a reason before it can reach the wire.
/// </summary>
public static class Userdata
{
    public const int MaxKeyLength = 53;
    public const int MaxValueBytes = 200;
    public const int MaxEntries = 256;

    /// <summary>Why <paramref name="key"/> cannot be a userdata key, or null when it can.</summary>
    public static string? KeyProblem(string key)
    {
        if (key.Length == 0)
            return "userdata key is empty";
        if (key.Length > MaxKeyLength)
            return $"userdata key is longer than {MaxKeyLength} characters";
        foreach (var c in key)
            if (c is <= ' ' or '=' or '/' or >= (char)127)
                return "userdata key may hold only printable ASCII without spaces, '=' or '/'";
        return null;
    }

    /// <summary>Why <paramref name="value"/> cannot be a userdata value, or null when it can.</summary>
    public static string? ValueProblem(string value)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(value) > MaxValueBytes)
            return $"userdata value is longer than {MaxValueBytes} bytes";
        if (value.Contains('\n'))
            return "userdata value may not contain a newline";
        return null;
    }
}
