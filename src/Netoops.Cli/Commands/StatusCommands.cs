using System.CommandLine;
using System.Text.Json;

namespace Netoops.Cli.Commands;

/// <summary><c>netoops status</c> and <c>netoops dump --soft</c>.</summary>
internal static class StatusCommands
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Status()
    {
        var socket = AgentSocket.Option();
        var json = new Option<bool>("--json") { Description = "print the raw status document" };
        var command = new Command("status", "Show the agent's targets, counters and recent dumps");
        command.Options.Add(socket);
        command.Options.Add(json);
        command.SetAction((parse, _) => AgentSocket.Call(parse, socket, async client =>
        {
            var status = await client.Status();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(status, Indented));
                return 0;
            }
            Console.WriteLine("targets:");
            foreach (var t in status.Targets)
                Console.WriteLine($"  {t.Subsystem + "/" + t.Name,-28} {t.State,-12} {t.DevName,-16} {t.Remote}  errors={t.TransmitErrors}");
            Console.WriteLine("counters:");
            foreach (var (name, value) in status.Counters.OrderBy(c => c.Key, StringComparer.Ordinal))
                Console.WriteLine($"  {name,-32} {value}");
            Console.WriteLine("recent dumps:");
            foreach (var d in status.RecentDumps)
                Console.WriteLine($"  {d.At:u} {d.Cause,-6} id={d.DumpId} from={d.Origin} {DumpText.Fate(d)} {DumpText.Targets(d)}".TrimEnd());
            return 0;
        }));
        return command;
    }

    public static Command Dump()
    {
        var socket = AgentSocket.Option();
        var soft = new Option<bool>("--soft") { Description = "send the current log as a soft dump (no crash), like sysrq y" };
        var command = new Command("dump", "Ask the agent for a dump now");
        command.Options.Add(socket);
        command.Options.Add(soft);
        command.SetAction((parse, _) =>
        {
            if (!parse.GetValue(soft))
            {
                Console.Error.WriteLine("netoops: only soft dumps can be requested; use `netoops dump --soft`");
                return Task.FromResult(AgentSocket.Refused);
            }
            return AgentSocket.Call(parse, socket, async client =>
            {
                var dump = await client.SoftDump();
                Console.WriteLine($"soft dump {dump.DumpId}: " + (dump.Spooled || dump.Refused is not null
                    ? DumpText.Fate(dump)
                    : string.Join(", ", dump.Targets.Select(o => $"{o.Target} {o.Outcome} ({o.Sent} packets)"))));
                return 0;
            });
        });
        return command;
    }
}
