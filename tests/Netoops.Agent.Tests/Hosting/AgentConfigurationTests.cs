using Netoops.Agent.Hosting;
using Netoops.Agent.Pstore;

namespace Netoops.Agent.Tests.Hosting;

// In the process collection: it sets environment variables that agent processes started meanwhile would inherit.
[Collection("agent processes")]
public class AgentConfigurationTests
{
    private static string ExampleConfig
        => Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "Netoops.Agent", "deploy", "agent.json");

    [Fact]
    public void The_example_config_in_the_repo_binds_to_valid_options()
    {
        var options = AgentConfiguration.Bind(AgentConfiguration.Build(ExampleConfig, new Dictionary<string, string?>()));

        Assert.Equal("/dev/kmsg", options.Kmsg);
        Assert.Equal(["/sys/fs/pstore", "/var/lib/systemd/pstore"], options.EffectivePstoreFolders);
        Assert.Equal(PstoreDisposal.Archive, options.PstoreDisposal);
        Assert.Equal(9464, options.MetricsPort);
    }

    [Fact]
    public void Configured_pstore_folders_replace_the_defaults_instead_of_adding_to_them()
    {
        var options = AgentConfiguration.Bind(AgentConfiguration.Build(null, new Dictionary<string, string?> { ["PstoreFolders:0"] = "/only/here" }));
        Assert.Equal(["/only/here"], options.EffectivePstoreFolders);
        Assert.Equal(AgentOptions.DefaultPstoreFolders, new AgentOptions().EffectivePstoreFolders);
    }

    [Fact]
    public void The_command_line_overrides_the_environment_which_overrides_the_file()
    {
        using var dir = new TempDirectory();
        var file = dir.File("agent.json", """{ "Agent": { "Kmsg": "/from/file", "StateDir": "/state/from/file", "Socket": "/sock/from/file" } }""");
        Environment.SetEnvironmentVariable("NETOOPS_Agent__StateDir", "/state/from/env");
        Environment.SetEnvironmentVariable("NETOOPS_Agent__Socket", "/sock/from/env");
        try
        {
            var options = AgentConfiguration.Bind(AgentConfiguration.Build(file, new Dictionary<string, string?> { ["Socket"] = "/sock/from/flag" }));

            Assert.Equal("/from/file", options.Kmsg);
            Assert.Equal("/state/from/env", options.StateDir);
            Assert.Equal("/sock/from/flag", options.Socket);
        }
        finally
        {
            Environment.SetEnvironmentVariable("NETOOPS_Agent__StateDir", null);
            Environment.SetEnvironmentVariable("NETOOPS_Agent__Socket", null);
        }
    }

    [Fact]
    public void A_missing_config_file_and_bad_values_are_refused_with_every_problem_listed()
    {
        var missing = Assert.Throws<AgentConfigurationException>(() => AgentConfiguration.Build("/nonexistent/agent.json", new Dictionary<string, string?>()));
        Assert.Contains("does not exist", missing.Message);

        var bad = Assert.Throws<AgentConfigurationException>(() => AgentConfiguration.Bind(AgentConfiguration.Build(null,
            new Dictionary<string, string?> { ["LogRingBytes"] = "100", ["MetricsPort"] = "70000", ["UserBlob"] = new string('x', 129) })));
        Assert.Equal(3, bad.Problems.Count);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_refused_not_thrown_raw()
    {
        var error = Assert.Throws<AgentConfigurationException>(() => AgentConfiguration.Bind(AgentConfiguration.Build(null,
            new Dictionary<string, string?> { ["LogRingBytes"] = "lots" })));
        Assert.Contains("lots", error.Message);
    }
}
