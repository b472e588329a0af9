using System.Globalization;

namespace Netoops.Protocol.Pstore;

/// <summary>
/// A file under <c>/sys/fs/pstore</c>: <c>&lt;type&gt;-&lt;backend&gt;-&lt;id&gt;[.enc.z]</c>, e.g.
/// <c>dmesg-ramoops-0</c>, <c>console-ramoops-0</c>, <c>dmesg-efi-172345678901001</c>.
/// </summary>
/// <param name="Compressed">The <c>.enc.z</c> suffix: the backend could not decompress the record.</param>
public sealed record PstoreFileName(string Type, string Backend, ulong Id, bool Compressed)
{
    public const string CompressedSuffix = ".enc.z";

    /// <summary>Only dmesg records hold a crash's kernel log.</summary>
    public bool IsDmesg => Type == "dmesg";

    public override string ToString() =>
        $"{Type}-{Backend}-{Id.ToString(CultureInfo.InvariantCulture)}{(Compressed ? CompressedSuffix : "")}";

    /// <summary>
    /// Parses a file name. Read from the right: the id is after the last '-', the backend before it;
    /// the type keeps any '-' of its own (<c>powerpc-ofw-nvram-0</c>).
    /// </summary>
    public static bool TryParse(string fileName, out PstoreFileName parsed)
    {
        parsed = null!;
        var compressed = fileName.EndsWith(CompressedSuffix, StringComparison.Ordinal);
        var name = compressed ? fileName[..^CompressedSuffix.Length] : fileName;
        var lastDash = name.LastIndexOf('-');
        if (lastDash <= 0)
            return false;
        var backendDash = name.LastIndexOf('-', lastDash - 1);
        if (backendDash <= 0 || backendDash + 1 == lastDash)
            return false;
        if (!ulong.TryParse(name.AsSpan(lastDash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return false;
        parsed = new PstoreFileName(name[..backendDash], name[(backendDash + 1)..lastDash], id, compressed);
        return true;
    }
}
