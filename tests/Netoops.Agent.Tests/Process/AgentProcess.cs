using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Netoops.Agent.Management;

namespace Netoops.Agent.Tests.Process;

/// <summary>
/// A real `netoops agent` process (the built CLI, run with dotnet) reading a FIFO, with its own
/// socket, state directory and pstore folder under one temporary directory. Killed on dispose.
/// </summary>
public sealed class AgentProcess : IDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly StringBuilder _output = new();

    private AgentProcess(System.Diagnostics.Process process, string socket)
    {
        _process = process;
        Socket = socket;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Socket { get; }
    public int Pid => _process.Id;

    public string Output { get { lock (_output) return _output.ToString(); } }

    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "netoops.dll");

    /// <summary>Starts an agent on <paramref name="dir"/>'s "kmsg" FIFO (made if missing) and waits until its API answers.</summary>
    public static async Task<AgentProcess> StartAsync(TempDirectory dir, string? netoops = null, string? netns = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var fifo = Path.Combine(dir.Path, "kmsg");
        if (!File.Exists(fifo)) dir.Fifo("kmsg");
        var socket = Path.Combine(dir.Path, "run", "agent.sock");
        var args = new List<string> { CliDll, "agent", "--kmsg", fifo, "--socket", socket, "--state-dir", Path.Combine(dir.Path, "state") };
        if (netoops is not null) { args.Add("--netoops"); args.Add(netoops); }

        var start = netns is null
            ? new ProcessStartInfo("dotnet")
            : new ProcessStartInfo("ip") { ArgumentList = { "netns", "exec", netns, "dotnet" } };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["NETOOPS_Agent__PstoreFolders__0"] = Path.Combine(dir.Path, "pstore");
        start.Environment["NETOOPS_Agent__PstoreFolders__1"] = Path.Combine(dir.Path, "systemd-pstore");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            start.Environment[$"NETOOPS_Agent__{key}"] = value;

        var agent = new AgentProcess(System.Diagnostics.Process.Start(start)!, socket);
        await agent.WaitUntilServingAsync();
        return agent;
    }

    private async Task WaitUntilServingAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"agent exited with {_process.ExitCode}:\n{Output}");
            if (File.Exists(Socket))
            {
                try
                {
                    using var client = new AgentClient(Socket);
                    await client.Status();
                    return;
                }
                catch (HttpRequestException) { }
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"agent did not serve its API within 60 s:\n{Output}");
    }

    public AgentClient Client() => new(Socket);

    /// <summary>Runs the CLI as a user would: `dotnet netoops.dll ARGS --socket SOCKET`.</summary>
    public (int ExitCode, string Stdout, string Stderr) Cli(params string[] args) => RunCli([.. args, "--socket", Socket]);

    /// <summary>Runs the CLI as a user would: `dotnet netoops.dll ARGS`.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunCli(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(CliDll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var cli = System.Diagnostics.Process.Start(start)!;
        var stdout = cli.StandardOutput.ReadToEndAsync();
        var stderr = cli.StandardError.ReadToEndAsync();
        Assert.True(cli.WaitForExit(60_000), "CLI did not finish");
        return (cli.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>kill -9: no shutdown code runs.</summary>
    public void Kill9()
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-9", _process.Id.ToString()])!;
        kill.WaitForExit();
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }

    /// <summary>A loopback UDP port that is free now (bound, read, released).</summary>
    public static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
