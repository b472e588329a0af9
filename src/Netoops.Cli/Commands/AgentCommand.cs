using System.CommandLine;
using Netoops.Agent.Hosting;

namespace Netoops.Cli.Commands;

/// <summary><c>netoops agent</c>: run the agent in the foreground (systemd runs it as Type=notify).</summary>
internal static class AgentCommand
{
    public static Command Build()
    {
        var config = new Option<string?>("--config") { Description = "JSON configuration file (section \"Agent\"); environment NETOOPS_Agent__<Setting> and these flags override it" };
        var kmsg = new Option<string?>("--kmsg") { Description = "kernel log source [default: /dev/kmsg]; a FIFO works too" };
        var history = new Option<bool>("--kmsg-history") { Description = "replay the records already in the kernel ring instead of starting after the newest" };
        var netoops = new Option<string?>("--netoops") { Description = "netoops targets, kernel boot-parameter syntax: [src-port]@[src-ip]/[dev],[tgt-port]@<tgt-ip>/[tgt-mac], ';' between targets" };
        var netconsole = new Option<string?>("--netconsole") { Description = "netconsole targets, same syntax ('+' for extended, 'r' for release)" };
        var socket = new Option<string?>("--socket") { Description = $"management socket [default: {AgentSocket.DefaultPath}]" };
        var stateDir = new Option<string?>("--state-dir") { Description = "spool, boot history and pstore bookkeeping [default: /var/lib/netoops-agent]" };
        var keyFile = new Option<string?>("--key-file") { Description = "fleet key file: netoops packets are signed with it (the collector's --key-file) [default: unsigned, as a stock kernel sends]" };

        var command = new Command("agent", "Run the crash-shipping agent: kmsg → crash detection → netoops dumps and netconsole; pstore; spool; management API");
        foreach (var option in new Option[] { config, kmsg, history, netoops, netconsole, socket, stateDir, keyFile })
            command.Options.Add(option);

        command.SetAction(async (parse, ct) =>
        {
            var flags = new Dictionary<string, string?>();
            void Flag(string key, string? value) { if (value is not null) flags[key] = value; }
            Flag(nameof(AgentOptions.Kmsg), parse.GetValue(kmsg));
            if (parse.GetValue(history)) flags[nameof(AgentOptions.KmsgHistory)] = "true";
            Flag(nameof(AgentOptions.Netoops), parse.GetValue(netoops));
            Flag(nameof(AgentOptions.Netconsole), parse.GetValue(netconsole));
            Flag(nameof(AgentOptions.Socket), parse.GetValue(socket));
            Flag(nameof(AgentOptions.StateDir), parse.GetValue(stateDir));
            Flag(nameof(AgentOptions.KeyFile), parse.GetValue(keyFile));

            try
            {
                var options = AgentConfiguration.Bind(AgentConfiguration.Build(parse.GetValue(config), flags));
                await AgentHost.RunAsync(options, ct);
                return 0;
            }
            catch (AgentConfigurationException e)
            {
                foreach (var problem in e.Problems) await Console.Error.WriteLineAsync($"netoops agent: {problem}");
                return 2;
            }
        });
        return command;
    }
}
