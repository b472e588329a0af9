using System.Security.Cryptography;

namespace Netoops.Protocol.Packets;

/// <summary>What a packet's tag says about its sender.</summary>
public enum TagVerdict
{
    /// <summary>No tag: a stock kernel's packet, or an agent without a fleet key.</summary>
    Unsigned,
    /// <summary>The tag is the fleet key's HMAC of this packet.</summary>
    Valid,
    /// <summary>A tag that does not match: forged or tampered with.</summary>
    Invalid,
}

/// <summary>
/// An optional HMAC-SHA256 tag on a netoops v3 packet, signed with a fleet key.
/// Where it goes: in the last <see cref="Size"/> bytes of the 128-byte user_blob field, as the
/// magic <c>"nts1"</c> and the first 16 bytes of HMAC-SHA256(key, packet with those 16 bytes
/// zeroed). Every field a stock decoder reads keeps its place and meaning: version, ids, offsets,
/// release, CPU, registers and text are untouched, and the tag sits after a NUL that ends the blob
/// text, so a reader taking the blob as a string (as the sysfs text it is set from) sees the same
/// blob; one that shows all 128 bytes raw sees the tag in the padding. Our decoder leaves the tag
/// out of the blob. The price: a signed packet's blob holds at most <see cref="MaxBlobText"/> bytes.
/// The tag covers every other byte: boot_id, dump_id, packet_no, the header and the text, so the
/// collector's replay window (per host and boot, by dump_id) can trust them.
/// </summary>
public static class PacketTag
{
    public const int TagBytes = 16;
    public const int Size = 4 + TagBytes;
    public const int Offset = PacketLayout.UserBlobOffset + PacketLayout.UserBlobSize - Size;
    public const int TagOffset = Offset + 4;

    /// <summary>Blob text that still leaves a NUL before the tag.</summary>
    public const int MaxBlobText = PacketLayout.UserBlobSize - Size - 1;

    /// <summary>Smallest fleet key taken: 128 bits.</summary>
    public const int MinKeyBytes = 16;

    private static ReadOnlySpan<byte> Magic => "nts1"u8;

    /// <summary>
    /// The fleet key from <paramref name="path"/>: the file's bytes, trailing whitespace removed
    /// (so `head -c 32 /dev/urandom | base64 > fleet.key` makes a key file). The agent and the
    /// collector read it the same way.
    /// </summary>
    public static byte[] LoadKey(string path)
    {
        var bytes = File.ReadAllBytes(path).AsSpan().TrimEnd(" \t\r\n"u8).ToArray();
        if (bytes.Length < MinKeyBytes)
            throw new FormatException($"{path}: a fleet key needs at least {MinKeyBytes} bytes, the file has {bytes.Length}");
        return bytes;
    }

    /// <summary>Signs <paramref name="packet"/> in place; a blob longer than <see cref="MaxBlobText"/> is cut there.</summary>
    public static void Sign(Span<byte> packet, ReadOnlySpan<byte> key)
    {
        packet.Slice(PacketLayout.UserBlobOffset + MaxBlobText, PacketLayout.UserBlobSize - MaxBlobText).Clear();
        Magic.CopyTo(packet[Offset..]);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, packet, mac);
        mac[..TagBytes].CopyTo(packet[TagOffset..]);
    }

    public static TagVerdict Verify(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> key)
    {
        if (packet.Length < PacketLayout.UserBlobOffset + PacketLayout.UserBlobSize || !packet[Offset..].StartsWith(Magic))
            return TagVerdict.Unsigned;
        if (key.IsEmpty) return TagVerdict.Invalid;
        var copy = packet.Length <= 2048 ? stackalloc byte[packet.Length] : new byte[packet.Length];
        packet.CopyTo(copy);
        copy.Slice(TagOffset, TagBytes).Clear();
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, copy, mac);
        return CryptographicOperations.FixedTimeEquals(mac[..TagBytes], packet.Slice(TagOffset, TagBytes)) ? TagVerdict.Valid : TagVerdict.Invalid;
    }

    /// <summary>True when the packet carries a tag (valid or not): part of its layout, so signed and unsigned packets never share a dump.</summary>
    public static bool IsTagged(ReadOnlySpan<byte> packet) =>
        packet.Length >= PacketLayout.UserBlobOffset + PacketLayout.UserBlobSize && packet[Offset..].StartsWith(Magic);
}
