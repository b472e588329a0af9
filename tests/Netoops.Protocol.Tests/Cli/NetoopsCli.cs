using System.Diagnostics;

namespace Netoops.Protocol.Tests.Cli;

/// <summary>Runs the real <c>netoops</c> command (built next to the tests) as a separate process.</summary>
internal static class NetoopsCli
{
    public sealed record Result(int ExitCode, byte[] Stdout, string Stderr)
    {
        public string StdoutText => System.Text.Encoding.UTF8.GetString(Stdout);
    }

    public static Result Run(params string[] arguments) =>
        Run(DotnetHost(), [Path.Combine(AppContext.BaseDirectory, "netoops.dll"), .. arguments]);

    public static Result Run(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        // A hang is a failure, not a stuck test run.
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish");
        }
        copy.Wait();
        return new Result(process.ExitCode, stdout.ToArray(), stderr.Result);
    }

    private static string DotnetHost() =>
        Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
}
