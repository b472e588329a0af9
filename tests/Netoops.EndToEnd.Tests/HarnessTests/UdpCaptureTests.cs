using System.Net;
using System.Net.Sockets;
using System.Text;
using Netoops.EndToEnd.Tests.Kernel;
using Xunit.Abstractions;

namespace Netoops.EndToEnd.Tests.HarnessTests;

public sealed class UdpCaptureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Datagrams_are_kept_in_arrival_order_and_saved_length_prefixed()
    {
        using var log = new ScenarioLog(output, "udp-capture");
        using var capture = new UdpCapture("basic");
        using var sender = new UdpClient();
        foreach (var text in new[] { "[    0.000000] Linux version\n", "[    2.386161] ------------[ cut here ]\n", "" })
            await sender.SendAsync(Encoding.UTF8.GetBytes(text), new IPEndPoint(IPAddress.Loopback, capture.Port));

        await capture.WaitUntilQuietAsync(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));
        capture.Save(log);

        Assert.Equal("[    0.000000] Linux version\n[    2.386161] ------------[ cut here ]\n", capture.Stream);
        var saved = await File.ReadAllBytesAsync(log.PathOf("basic.datagrams.bin"));
        Assert.Equal(3, CountLengthPrefixed(saved));
        log.Passed();
    }

    private static int CountLengthPrefixed(byte[] file)
    {
        var count = 0;
        for (var offset = 0; offset < file.Length; count++)
            offset += sizeof(int) + BitConverter.ToInt32(file, offset);
        return count;
    }
}
