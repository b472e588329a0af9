namespace Netoops.Protocol.Tests.Cli;

/// <summary>Compiles c/netoops_golden.c once with gcc for the tests of a class.</summary>
public sealed class GoldenCProgram : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "netoops-golden-" + Guid.NewGuid().ToString("N"));
    public string Executable => Path.Combine(Directory, "netoops_golden");

    public GoldenCProgram()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var source = Path.Combine(AppContext.BaseDirectory, "c", "netoops_golden.c");
        var gcc = NetoopsCli.Run("gcc", ["-O2", "-Wall", "-Wextra", "-Werror", "-std=gnu11", "-o", Executable, source]);
        if (gcc.ExitCode != 0)
            throw new InvalidOperationException("gcc failed: " + gcc.Stderr);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
