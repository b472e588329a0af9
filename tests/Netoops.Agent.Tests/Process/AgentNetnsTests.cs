using System.Diagnostics;

namespace Netoops.Agent.Tests.Process;

/// <summary>The agent inside a network namespace of its own, with a real veth pair and real rtnetlink events.</summary>
[Collection("agent processes")]
public class AgentNetnsTests
{
    [Fact]
    public async Task Deleting_the_veth_link_a_target_is_bound_to_deactivates_it_as_netoops_status_shows()
    {
        var netns = "nt-agent-" + Guid.NewGuid().ToString("N")[..8];
        Ip("netns", "add", netns);
        try
        {
            InNetns(netns, "link", "add", "va", "type", "veth", "peer", "name", "vb");
            InNetns(netns, "addr", "add", "10.77.0.1/24", "dev", "va");
            InNetns(netns, "addr", "add", "10.77.0.2/24", "dev", "vb");
            InNetns(netns, "link", "set", "va", "up");
            InNetns(netns, "link", "set", "vb", "up");

            using var dir = new TempDirectory();
            using var agent = await AgentProcess.StartAsync(dir, "6000@10.77.0.1/va,6001@10.77.0.2/", netns);
            await AgentCliTests.WaitEnabled(agent, "netoops/cmdline0");

            InNetns(netns, "link", "del", "va");

            await AgentCliTests.WaitEnabled(agent, "netoops/cmdline0", "Deactivated");
            var (exit, stdout, _) = agent.Cli("status");
            Assert.Equal(0, exit);
            Assert.Matches(@"netoops/cmdline0\s+Deactivated\s+va", stdout);
        }
        finally
        {
            Ip("netns", "del", netns);
        }
    }

    private static void InNetns(string netns, params string[] args) => Ip(["-n", netns, .. args]);

    private static void Ip(params string[] args)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var ip = System.Diagnostics.Process.Start(start)!;
        var stderr = ip.StandardError.ReadToEnd();
        ip.WaitForExit();
        Assert.True(ip.ExitCode == 0, $"ip {string.Join(' ', args)}: {stderr}");
    }
}
