using System.CommandLine;

namespace Netoops.Cli.Commands;

/// <summary><c>netoops target ls|add|rm|get|set|enable|disable</c>: the configfs tree of a running agent.</summary>
internal static class TargetCommands
{
    public static Command Build()
    {
        var target = new Command("target", "List and configure the agent's netpoll targets (SUBSYSTEM/NAME, e.g. netoops/cmdline0)");
        target.Subcommands.Add(List());
        target.Subcommands.Add(Add());
        target.Subcommands.Add(Remove());
        target.Subcommands.Add(Get());
        target.Subcommands.Add(Set());
        target.Subcommands.Add(Enabled("enable", "1", "enable a target (sets it up, then it sends)"));
        target.Subcommands.Add(Enabled("disable", "0", "disable a target (cleans it up)"));
        return target;
    }

    private static Argument<string> TargetArgument() => new("target") { Description = "SUBSYSTEM/NAME, e.g. netoops/cmdline0" };

    private static Command List()
    {
        var socket = AgentSocket.Option();
        var subsystem = new Argument<string?>("subsystem") { Description = "only this subsystem (netoops or netconsole)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("ls", "list targets with their state, device and destination");
        command.Options.Add(socket);
        command.Arguments.Add(subsystem);
        command.SetAction((parse, _) => AgentSocket.Call(parse, socket, async client =>
        {
            var only = parse.GetValue(subsystem);
            var status = await client.Status();
            foreach (var t in status.Targets.Where(t => only is null || t.Subsystem == only))
                Console.WriteLine($"{t.Subsystem + "/" + t.Name,-28} {t.State,-12} {t.DevName,-16} {t.Remote}");
            return 0;
        }));
        return command;
    }

    private static Command Add()
    {
        var socket = AgentSocket.Option();
        var name = TargetArgument();
        var command = new Command("add", "create a target (mkdir); it starts disabled");
        command.Options.Add(socket);
        command.Arguments.Add(name);
        command.SetAction((parse, _) => WithTarget(parse, socket, name, async (client, t) =>
        {
            await client.MakeTarget(t.Subsystem, t.Name);
            return 0;
        }));
        return command;
    }

    private static Command Remove()
    {
        var socket = AgentSocket.Option();
        var name = TargetArgument();
        var command = new Command("rm", "remove a target (rmdir), cleaning it up first if enabled");
        command.Options.Add(socket);
        command.Arguments.Add(name);
        command.SetAction((parse, _) => WithTarget(parse, socket, name, async (client, t) =>
        {
            await client.DropTarget(t.Subsystem, t.Name);
            return 0;
        }));
        return command;
    }

    private static Command Get()
    {
        var socket = AgentSocket.Option();
        var name = TargetArgument();
        var attribute = new Argument<string?>("attribute") { Description = "one attribute (e.g. remote_port, userdata/rack/value); all when omitted", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("get", "show a target's attributes");
        command.Options.Add(socket);
        command.Arguments.Add(name);
        command.Arguments.Add(attribute);
        command.SetAction((parse, _) => WithTarget(parse, socket, name, async (client, t) =>
        {
            var one = parse.GetValue(attribute);
            if (one is not null)
            {
                Console.Write(await client.ReadAttribute(t.Subsystem, t.Name, one));
                return 0;
            }
            foreach (var (key, value) in (await client.Attributes(t.Subsystem, t.Name)).OrderBy(a => a.Key, StringComparer.Ordinal))
                Console.WriteLine($"{key,-18} {value.TrimEnd('\n')}");
            return 0;
        }));
        return command;
    }

    private static Command Set()
    {
        var socket = AgentSocket.Option();
        var name = TargetArgument();
        var attribute = new Argument<string>("attribute") { Description = "e.g. remote_port, remote_ip, dev_name, extended, userdata/rack/value" };
        var value = new Argument<string>("value") { Description = "the new value, as you would echo it into configfs" };
        var command = new Command("set", "write one attribute (refused as busy while the target is enabled, like the kernel)");
        command.Options.Add(socket);
        command.Arguments.Add(name);
        command.Arguments.Add(attribute);
        command.Arguments.Add(value);
        command.SetAction((parse, _) => WithTarget(parse, socket, name, async (client, t) =>
        {
            await client.WriteAttribute(t.Subsystem, t.Name, parse.GetValue(attribute)!, parse.GetValue(value)!);
            return 0;
        }));
        return command;
    }

    private static Command Enabled(string verb, string value, string description)
    {
        var socket = AgentSocket.Option();
        var name = TargetArgument();
        var command = new Command(verb, description);
        command.Options.Add(socket);
        command.Arguments.Add(name);
        command.SetAction((parse, _) => WithTarget(parse, socket, name, async (client, t) =>
        {
            await client.WriteAttribute(t.Subsystem, t.Name, "enabled", value);
            return 0;
        }));
        return command;
    }

    private static Task<int> WithTarget(ParseResult parse, Option<string> socket, Argument<string> name,
        Func<Netoops.Agent.Management.AgentClient, (string Subsystem, string Name), Task<int>> action)
    {
        var target = AgentSocket.Target(parse.GetValue(name)!);
        return target is null
            ? Task.FromResult(AgentSocket.Refused)
            : AgentSocket.Call(parse, socket, client => action(client, target.Value));
    }
}
