using System.Globalization;

namespace Netoops.Cli.Commands.Wire;

/// <summary>Numbers on the command line: decimal, or hex with a 0x prefix.</summary>
internal static class NumberText
{
    public static bool TryParse(string? text, ulong max, out ulong value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text))
            return false;
        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        return ok && value <= max;
    }

    /// <summary>Hex with or without 0x (the way a RIP is copied out of an oops).</summary>
    public static bool TryParseHex(string? text, out ulong value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text))
            return false;
        var digits = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text.AsSpan(2) : text.AsSpan();
        return ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
