using System.Text;
using Netoops.EndToEnd.Tests.Kernel;

namespace Netoops.EndToEnd.Tests.HarnessTests;

public sealed class FirmwareTests
{
    [Fact]
    public void The_seabios_version_is_read_from_the_image_between_nul_bytes()
    {
        var image = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(image, Encoding.Latin1.GetBytes("\u00ff\0SeaBIOS (version %s)\0x1.2\01.16.2-debian-1.16.2-1\0\u0090"));

            Assert.Equal("1.16.2-debian-1.16.2-1", Firmware.SeaBiosVersion(image));
        }
        finally
        {
            File.Delete(image);
        }
    }

    [Fact]
    public void An_image_without_a_version_is_refused()
    {
        var image = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(image, [0, 1, 2, 3]);

            Assert.Throws<InvalidDataException>(() => Firmware.SeaBiosVersion(image));
        }
        finally
        {
            File.Delete(image);
        }
    }
}
