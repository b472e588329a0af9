using System.Diagnostics;

namespace Netoops.EndToEnd.Tests.Kernel;

/// <summary>
/// The guest kit tests/kernel/build-kit.sh builds from Debian packages: Debian's cloud kernel,
/// an initramfs (busybox, virtio-net, netconsole, ramoops, our provoke module, ./init) and the
/// kernel release it reports.
/// </summary>
public sealed record GuestKit(string Folder, string Vmlinuz, string Initramfs, string KernelRelease)
{
    /// <summary>Minutes, not seconds: the first build downloads and unpacks about 40 MB of packages.</summary>
    private static readonly TimeSpan BuildTimeLimit = TimeSpan.FromMinutes(10);

    public static async Task<GuestKit> BuildAsync(Action<string> step)
    {
        var folder = await RunScriptAsync("build-kit.sh", [], BuildTimeLimit, step);
        var kit = new GuestKit(folder,
            Path.Combine(folder, "vmlinuz"),
            Path.Combine(folder, "initramfs.cpio"),
            File.ReadAllText(Path.Combine(folder, "kernel-release")).Trim());
        step($"guest kit {kit.Folder}, kernel {kit.KernelRelease}");
        return kit;
    }

    /// <summary>
    /// This kit with our agent appended to its initramfs (tests/kernel/build-agent.sh): a
    /// self-contained publish, minutes on a busy machine the first time, cached after that.
    /// </summary>
    public async Task<GuestKit> WithAgentAsync(Action<string> step)
    {
        var folder = await RunScriptAsync("build-agent.sh", [Folder], TimeSpan.FromMinutes(20), step);
        return this with { Initramfs = Path.Combine(folder, "initramfs.cpio") };
    }

    /// <summary>Runs one of tests/kernel's scripts; its last stdout line is the folder it made.</summary>
    private static async Task<string> RunScriptAsync(string name, IReadOnlyList<string> arguments, TimeSpan limit, Action<string> step)
    {
        var script = Path.Combine(RepositoryRoot(), "tests", "kernel", name);
        step($"bash {script} {string.Join(' ', arguments)}");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("bash could not be started");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name} took longer than {limit}: {await stderr}");
        }
        foreach (var line in (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            step(line);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{name} failed with exit code {process.ExitCode}; see the steps above");
        return (await stdout).Trim().Split('\n')[^1];
    }

    /// <summary>The folder holding Netoops.Actors.sln, found upwards from the test assembly.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Netoops.Actors.sln")))
                return folder.FullName;
        }
        throw new DirectoryNotFoundException($"no Netoops.Actors.sln above {AppContext.BaseDirectory}");
    }
}
