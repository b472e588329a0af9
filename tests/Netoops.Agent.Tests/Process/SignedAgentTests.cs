using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Netoops.Collector.Hosting;

namespace Netoops.Agent.Tests.Process;

/// <summary>
/// A real agent process with a fleet key sends an oops to a real collector (in-process, real UDP
/// on loopback) that holds the same key and takes only signed packets from 127.0.0.1.
/// </summary>
[Collection("agent processes")]
public class SignedAgentTests
{
    [Fact]
    public async Task An_agent_with_the_fleet_key_gets_its_oops_stored_as_authenticated_where_unsigned_is_refused()
    {
        using var dir = new TempDirectory();
        var keyFile = Path.Combine(dir.Path, "fleet.key");
        await File.WriteAllTextAsync(keyFile, "dGhlIGZsZWV0IGtleSBmb3IgdGhpcyB0ZXN0IG9ubHk=\n");
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        await using var collector = await CollectorHost.StartAsync(new CollectorOptions
        {
            Netoops = loopback, Netconsole = loopback, Http = loopback,
            Database = "sqlite:" + Path.Combine(dir.Path, "collector.db"),
            FleetKey = Protocol.Packets.PacketTag.LoadKey(keyFile),
            RequireSigned = ["127.0.0.1/32"],
        }, configureLogging: logging => logging.SetMinimumLevel(LogLevel.Warning));
        using var http = new HttpClient { BaseAddress = collector.HttpUri };
        using var agent = await AgentProcess.StartAsync(dir, settings: new Dictionary<string, string> { ["KeyFile"] = keyFile });
        SpoolReplayCollectorTests.AddTarget(agent, "netoops/signed", collector.NetoopsEndPoint.Port);
        Assert.Equal(0, agent.Cli("target", "enable", "netoops/signed").ExitCode);

        KmsgWriter.WriteLines(Path.Combine(dir.Path, "kmsg"), SpoolReplayCollectorTests.OopsAt(100));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await SpoolReplayCollectorTests.StoredCrashes(http) == 0 && DateTime.UtcNow < deadline) await Task.Delay(200);
        using var ids = JsonDocument.Parse(await http.GetStringAsync("api/crashes"));
        var id = Assert.Single(ids.RootElement.GetProperty("crash_ids").EnumerateArray()).GetInt64();
        using var crash = JsonDocument.Parse(await http.GetStringAsync($"api/crashes/{id}"));
        Assert.True(crash.RootElement.GetProperty("authenticated").GetBoolean());
        Assert.Equal(0, collector.Metrics.Netoops.Invalid.Total);
    }
}
