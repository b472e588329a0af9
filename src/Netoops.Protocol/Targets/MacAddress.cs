using System.Globalization;

namespace Netoops.Protocol.Targets;

/// <summary>An Ethernet address, written <c>aa:bb:cc:dd:ee:ff</c> as configfs and the boot parameter spell it.</summary>
public readonly record struct MacAddress(ulong Value)
{
    public static MacAddress Broadcast => new(0xffff_ffff_ffffUL);

    public bool IsBroadcast => Value == Broadcast.Value;

    public byte[] ToBytes()
    {
        var bytes = new byte[6];
        for (var i = 0; i < 6; i++)
            bytes[i] = (byte)(Value >> (8 * (5 - i)));
        return bytes;
    }

    public static MacAddress FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 6)
            throw new ArgumentException("a MAC address is 6 bytes", nameof(bytes));
        ulong value = 0;
        foreach (var b in bytes)
            value = (value << 8) | b;
        return new MacAddress(value);
    }

    /// <summary>Exactly six two-digit hex groups separated by colons (the kernel's <c>mac_pton</c>).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out MacAddress mac)
    {
        mac = default;
        if (text.Length != 17)
            return false;
        ulong value = 0;
        for (var i = 0; i < 6; i++)
        {
            if (i < 5 && text[i * 3 + 2] != ':')
                return false;
            if (!byte.TryParse(text.Slice(i * 3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                return false;
            value = (value << 8) | b;
        }
        mac = new MacAddress(value);
        return true;
    }

    public override string ToString() => string.Join(':', ToBytes().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
}
