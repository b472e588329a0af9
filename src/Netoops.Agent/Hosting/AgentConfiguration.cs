using Microsoft.Extensions.Configuration;

namespace Netoops.Agent.Hosting;

/// <summary>Builds <see cref="AgentOptions"/> from the JSON file, the environment and the command line, in that order of precedence (last wins).</summary>
public static class AgentConfiguration
{
    public const string EnvironmentPrefix = "NETOOPS_";

    /// <param name="configFile">--config; a missing file given explicitly is an error, not a silent default.</param>
    /// <param name="commandLine">Settings from flags, keyed by option property name (e.g. "Kmsg").</param>
    public static IConfigurationRoot Build(string? configFile, IReadOnlyDictionary<string, string?> commandLine)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
                throw new AgentConfigurationException([$"config file {configFile} does not exist"]);
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddInMemoryCollection(commandLine.ToDictionary(kv => $"{AgentOptions.Section}:{kv.Key}", kv => kv.Value));
        return builder.Build();
    }

    public static AgentOptions Bind(IConfiguration configuration)
    {
        var options = new AgentOptions();
        try
        {
            configuration.GetSection(AgentOptions.Section).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new AgentConfigurationException([e.InnerException?.Message ?? e.Message]);
        }
        var problems = options.Problems().ToList();
        if (problems.Count > 0) throw new AgentConfigurationException(problems);
        return options;
    }
}

/// <summary>The configuration cannot start an agent; every problem is listed.</summary>
public sealed class AgentConfigurationException(IReadOnlyList<string> problems)
    : Exception("invalid agent configuration: " + string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
