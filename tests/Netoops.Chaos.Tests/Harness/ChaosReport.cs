using Xunit.Abstractions;

namespace Netoops.Chaos.Tests.Harness;

/// <summary>
/// Where the suite's lines go: the test's output (kept in the TRX), the process's stdout, and
/// artifacts/chaos/chaos-report.txt under the repository (or the test output folder), so that a
/// CI log shows them whether or not the test passed.
/// </summary>
public sealed class ChaosReport(ITestOutputHelper output)
{
    private static readonly object FileGate = new();
    public static readonly string FilePath = Fresh(Path.Combine(ArtifactsFolder(), "chaos-report.txt"));

    public void Line(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
        lock (FileGate) File.AppendAllText(FilePath, line + Environment.NewLine);
    }

    /// <summary>One report per test run: the first line of a run starts the file afresh.</summary>
    private static string Fresh(string path)
    {
        File.WriteAllText(path, "");
        return path;
    }

    private static string ArtifactsFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Netoops.Actors.sln")))
            dir = dir.Parent;
        var folder = dir is null
            ? Path.Combine(AppContext.BaseDirectory, "chaos")
            : Path.Combine(dir.FullName, "artifacts", "chaos");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
