using System.CommandLine;

namespace Netoops.Cli.Commands;

/// <summary>Every top-level subcommand, one line per area, so areas never edit each other's files.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return AnalyzeCommand.Create();
        yield return AgentCommand.Build();
        yield return TargetCommands.Build();
        yield return StatusCommands.Status();
        yield return StatusCommands.Dump();
        yield return Wire.WireCommand.Create();
        yield return CollectorCommand.Create();
        yield return UpCommand.Create();
        yield return CrashesCommand.Create();
        yield return LoadgenCommand.Create();
    }
}
