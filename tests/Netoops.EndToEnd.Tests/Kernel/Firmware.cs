using System.Text;
using System.Text.RegularExpressions;

namespace Netoops.EndToEnd.Tests.Kernel;

/// <summary>Facts about the firmware qemu boots, to compare with what the guest kernel reports.</summary>
public static partial class Firmware
{
    /// <summary>
    /// The SeaBIOS version string built into the image (e.g. "1.16.2-debian-1.16.2-1"),
    /// which the kernel prints in "Hardware name: ..., BIOS &lt;version&gt; &lt;date&gt;".
    /// </summary>
    public static string SeaBiosVersion(string imagePath)
    {
        var image = Encoding.Latin1.GetString(File.ReadAllBytes(imagePath));
        var match = VersionPattern().Match(image);
        if (!match.Success)
            throw new InvalidDataException($"no SeaBIOS version string in {imagePath}");
        return match.Value;
    }

    // SeaBIOS embeds "<major>.<minor>.<patch>[-<build>]" NUL-terminated; Debian's build says "-debian-<package version>".
    [GeneratedRegex(@"(?<=\0)\d+\.\d+\.\d+-[0-9A-Za-z.+~-]+(?=\0)")]
    private static partial Regex VersionPattern();
}
