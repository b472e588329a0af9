namespace Netoops.Agent.Tests.Process;

[Collection("agent processes")]
public class AgentCliTests
{
    [Fact]
    public async Task Writing_a_parameter_of_an_enabled_target_prints_the_kernels_busy_message_and_exits_non_zero()
    {
        using var dir = new TempDirectory();
        using var agent = await AgentProcess.StartAsync(dir, $"{AgentProcess.FreeUdpPort()}@127.0.0.1/lo,{AgentProcess.FreeUdpPort()}@127.0.0.1/");
        await WaitEnabled(agent, "netoops/cmdline0");

        var (exit, _, stderr) = agent.Cli("target", "set", "netoops/cmdline0", "remote_port", "9999");

        Assert.Equal(1, exit);
        Assert.Contains("target cmdline0 is enabled, disable to update parameters", stderr);
    }

    [Fact]
    public async Task Targets_are_made_listed_read_written_and_removed_through_the_cli()
    {
        using var dir = new TempDirectory();
        using var agent = await AgentProcess.StartAsync(dir);

        Assert.Equal(0, agent.Cli("target", "add", "netconsole/web").ExitCode);
        Assert.Equal(0, agent.Cli("target", "set", "netconsole/web", "remote_port", "7777").ExitCode);
        Assert.Equal("7777\n", agent.Cli("target", "get", "netconsole/web", "remote_port").Stdout);
        Assert.Contains("netconsole/web", agent.Cli("target", "ls").Stdout);
        Assert.Contains("remote_port        7777", agent.Cli("target", "get", "netconsole/web").Stdout);

        Assert.Equal(0, agent.Cli("target", "rm", "netconsole/web").ExitCode);
        var missing = agent.Cli("target", "get", "netconsole/web", "remote_port");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no target web", missing.Stderr);
    }

    [Fact]
    public async Task Netoops_settings_are_read_and_written_and_a_bad_value_is_refused_with_a_reason()
    {
        using var dir = new TempDirectory();
        using var agent = await AgentProcess.StartAsync(dir);
        using var client = agent.Client();

        await client.WriteSetting("boot_id", "4242\n");
        Assert.Equal("4242\n", await client.ReadSetting("boot_id"));
        var refused = await Assert.ThrowsAsync<Netoops.Agent.Management.AgentRefusedException>(() => client.WriteSetting("boot_id", "minus one"));
        Assert.Contains("unsigned 32-bit", refused.Message);
    }

    [Fact]
    public void The_cli_says_when_no_agent_listens_and_exits_2()
    {
        using var dir = new TempDirectory();
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { AgentProcess.CliDll, "status", "--socket", Path.Combine(dir.Path, "none.sock") }) start.ArgumentList.Add(a);
        using var cli = System.Diagnostics.Process.Start(start)!;
        var stderr = cli.StandardError.ReadToEnd();
        cli.WaitForExit();

        Assert.Equal(2, cli.ExitCode);
        Assert.Contains("cannot reach the agent", stderr);
    }

    internal static async Task WaitEnabled(AgentProcess agent, string target, string state = "Enabled")
    {
        using var client = agent.Client();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var status = await client.Status();
            if (status.Targets.Any(t => $"{t.Subsystem}/{t.Name}" == target && t.State == state)) return;
            await Task.Delay(50);
        }
        Assert.Fail($"{target} never became {state}:\n{agent.Output}");
    }
}
