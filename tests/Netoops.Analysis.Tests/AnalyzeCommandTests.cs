using System.Diagnostics;
using System.Text.Json;
using Netoops.Analysis.Tests.Samples;

namespace Netoops.Analysis.Tests;

/// <summary>The real <c>netoops analyze</c> command, run as a process.</summary>
public class AnalyzeCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("netoops-analyze-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "netoops.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Each_file_gets_one_json_line_with_exactly_the_interface_fields()
    {
        var crash = Write("warn.log", Reports.ModuleWarning);
        var quiet = Write("boot.log", "[    0.0] Linux version 6.1.0\n");
        var (exit, output, _) = Run("analyze", crash, quiet);

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal(["file", "crash", "title", "bucket", "corrupted", "type", "kind", "frames", "registers", "hardware", "kernel"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(crash, root.GetProperty("file").GetString());
        Assert.True(root.GetProperty("crash").GetBoolean());
        Assert.Equal("WARNING in provoke_warn", root.GetProperty("title").GetString());
        Assert.Equal("Warn", root.GetProperty("kind").GetString());
        Assert.Equal("0x10", root.GetProperty("registers").GetProperty("cs").GetString());
        Assert.Equal("04/01/2014", root.GetProperty("hardware").GetProperty("bios_date").GetString());
        Assert.Equal("6.1.0-56-cloud-amd64", root.GetProperty("kernel").GetProperty("release").GetString());

        using var second = JsonDocument.Parse(lines[1]);
        Assert.False(second.RootElement.GetProperty("crash").GetBoolean());
        Assert.Equal(JsonValueKind.Null, second.RootElement.GetProperty("title").ValueKind);
    }

    [Fact]
    public void Text_mode_prints_a_readable_summary()
    {
        var (exit, output, _) = Run("analyze", "--text", Write("gpf.log", Reports.GeneralProtectionFault));
        Assert.Equal(0, exit);
        Assert.Contains("title:     general protection fault in move_page_tables", output);
        Assert.Contains("task:      syz-executor.3 pid 4242 on CPU 1", output);
    }

    [Fact]
    public void An_unreadable_file_is_reported_and_the_others_are_still_analysed()
    {
        var (exit, output, error) = Run("analyze", Path.Combine(dir, "missing.log"), Write("warn.log", Reports.ModuleWarning));
        Assert.Equal(1, exit);
        Assert.Contains("cannot read", error);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
