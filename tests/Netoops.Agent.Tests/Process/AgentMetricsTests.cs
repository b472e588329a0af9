using System.Net;

namespace Netoops.Agent.Tests.Process;

[Collection("agent processes")]
public class AgentMetricsTests
{
    [Fact]
    public async Task The_metrics_port_serves_prometheus_text_and_nothing_of_the_management_api()
    {
        using var dir = new TempDirectory();
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var agent = await AgentProcess.StartAsync(dir, settings: new Dictionary<string, string> { ["MetricsPort"] = port.ToString() });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("netoops_agent_spool_dumps 0", metrics);
        Assert.Contains("netoops_agent_netconsole_forwarded ", metrics);

        var status = await http.GetAsync("/v1/status");
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }
}
