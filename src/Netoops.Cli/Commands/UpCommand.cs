using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Netoops.Agent.Hosting;
using Netoops.Collector.Hosting;

namespace Netoops.Cli.Commands;

/// <summary>
/// <c>netoops up</c>: the whole system on one machine, the README's run command. A collector
/// (SQLite under the data folder) and an agent reading this machine's kernel log, whose netoops
/// and netconsole targets point at the collector over loopback.
/// </summary>
internal static class UpCommand
{
    // The agent's targets send from these ports; the collector listens on 2004 and 6666, so
    // the netoops source port cannot be the kernel's default 2004 on the same address.
    private const int AgentNetoopsSourcePort = 2005;
    private const int AgentNetconsoleSourcePort = 6665;

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "folder for the SQLite database and the agent's state", DefaultValueFactory = _ => "./data" };
        var http = new Option<string>("--http") { Description = "ADDR:PORT of the dashboard and JSON API", DefaultValueFactory = _ => "127.0.0.1:8080" };
        var netoops = new Option<string>("--netoops") { Description = "UDP ADDR:PORT where the collector takes netoops packets", DefaultValueFactory = _ => "127.0.0.1:2004" };
        var netconsole = new Option<string>("--netconsole") { Description = "UDP ADDR:PORT where the collector takes netconsole messages", DefaultValueFactory = _ => "127.0.0.1:6666" };
        var kmsg = new Option<string>("--kmsg") { Description = "kernel log source; a FIFO works too", DefaultValueFactory = _ => "/dev/kmsg" };
        var socket = new Option<string>("--socket") { Description = "the agent's management socket", DefaultValueFactory = _ => AgentSocket.DefaultPath };

        var command = new Command("up", "Run a collector and an agent on this machine, the agent's targets pointed at the collector over loopback");
        foreach (var option in new Option[] { data, http, netoops, netconsole, kmsg, socket })
            command.Options.Add(option);

        command.SetAction(async (parse, ct) =>
        {
            var dataDir = Path.GetFullPath(parse.GetValue(data)!);
            Directory.CreateDirectory(dataDir);
            CollectorOptions collectorOptions;
            try
            {
                collectorOptions = new CollectorSettings
                {
                    Db = $"sqlite:{Path.Combine(dataDir, "netoops.db")}",
                    Http = parse.GetValue(http),
                    Netoops = parse.GetValue(netoops),
                    Netconsole = parse.GetValue(netconsole),
                }.ToOptions();
            }
            catch (FormatException e)
            {
                await Console.Error.WriteLineAsync($"netoops up: {e.Message}");
                return 2;
            }

            await using var collector = await CollectorHost.StartAsync(collectorOptions, ct: ct);
            var pstoreDir = Directory.CreateDirectory(Path.Combine(dataDir, "pstore")).FullName;
            var agentOptions = new AgentOptions
            {
                Kmsg = parse.GetValue(kmsg)!,
                Socket = parse.GetValue(socket)!,
                StateDir = Path.Combine(dataDir, "agent"),
                Netoops = $"{AgentNetoopsSourcePort}@127.0.0.1/lo,{collector.NetoopsEndPoint.Port}@127.0.0.1/",
                Netconsole = $"+{AgentNetconsoleSourcePort}@127.0.0.1/lo,{collector.NetconsoleEndPoint.Port}@127.0.0.1/",
                // A demo on a workstation must not move the machine's own pstore records away:
                // it harvests a folder of its own, where records can be dropped to try it.
                PstoreFolders = [pstoreDir],
            };
            if (agentOptions.Problems().ToList() is { Count: > 0 } problems)
            {
                foreach (var problem in problems) await Console.Error.WriteLineAsync($"netoops up: {problem}");
                return 2;
            }

            await using var agent = AgentHost.Build(agentOptions);
            await agent.StartAsync(ct);
            Console.WriteLine($"""
                netoops up: collector and agent running on this machine (Ctrl+C stops both)
                  dashboard   {collector.HttpUri}
                  API         {collector.HttpUri}api/buckets
                  database    {collector.Store.Location.Display}
                  agent       {agentOptions.Kmsg} → netoops udp {collector.NetoopsEndPoint}, netconsole udp {collector.NetconsoleEndPoint}
                  pstore      records dropped into {pstoreDir} are harvested at the next start
                try: netoops dump --soft{(agentOptions.Socket == AgentSocket.DefaultPath ? "" : $" --socket {agentOptions.Socket}")}   then: netoops crashes top
                """);
            await agent.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }
}
