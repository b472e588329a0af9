using System.CommandLine;
using Netoops.Cli.Commands;

// The `netoops` command: each area of the project contributes its own subcommands.
var root = new RootCommand("netoops: ship Linux kernel crashes over netoops v3 / netconsole and collect them");
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);

return await root.Parse(args).InvokeAsync();
