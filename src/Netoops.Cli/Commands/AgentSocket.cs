using System.CommandLine;
using System.Net.Sockets;
using Netoops.Agent.Management;

namespace Netoops.Cli.Commands;

/// <summary>
/// What every management command shares: the <c>--socket</c> option and one way of turning the
/// agent's refusals into messages and exit codes (0 done, 1 refused, 2 agent unreachable).
/// </summary>
internal static class AgentSocket
{
    public const string DefaultPath = "/run/netoops/agent.sock";
    public const int Refused = 1;
    public const int Unreachable = 2;

    public static Option<string> Option() => new("--socket")
    {
        Description = "the agent's management socket",
        DefaultValueFactory = _ => DefaultPath,
    };

    /// <summary>Runs <paramref name="action"/> against the agent, reporting a refusal the way the kernel would.</summary>
    public static async Task<int> Call(ParseResult parse, Option<string> socket, Func<AgentClient, Task<int>> action)
    {
        var path = parse.GetValue(socket)!;
        using var client = new AgentClient(path);
        try
        {
            return await action(client);
        }
        catch (AgentRefusedException refused)
        {
            await Console.Error.WriteLineAsync($"netoops: {refused.Message}");
            return Refused;
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException or IOException || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            await Console.Error.WriteLineAsync($"netoops: cannot reach the agent at {path}: {e.InnerException?.Message ?? e.Message}");
            return Unreachable;
        }
    }

    /// <summary>Splits <c>SUBSYSTEM/NAME</c>; null (with a message) when malformed.</summary>
    public static (string Subsystem, string Name)? Target(string text)
    {
        var slash = text.IndexOf('/');
        if (slash <= 0 || slash == text.Length - 1 || text.IndexOf('/', slash + 1) >= 0)
        {
            Console.Error.WriteLine($"netoops: '{text}' is not SUBSYSTEM/NAME (e.g. netoops/cmdline0)");
            return null;
        }
        return (text[..slash], text[(slash + 1)..]);
    }
}
