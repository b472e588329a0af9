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
        var script = Path.Combine(RepositoryRoot(), "tests", "kernel", "build-kit.sh");
        step($"building (or reusing) the guest kit: bash {script}");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("bash could not be started");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(BuildTimeLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"build-kit.sh took longer than {BuildTimeLimit}: {await stderr}");
        }
        foreach (var line in (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            step(line);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"build-kit.sh failed with exit code {process.ExitCode}; see the steps above");

        // The script's last stdout line is the kit folder.
        var folder = (await stdout).Trim().Split('\n')[^1];
        var kit = new GuestKit(folder,
            Path.Combine(folder, "vmlinuz"),
            Path.Combine(folder, "initramfs.cpio"),
            File.ReadAllText(Path.Combine(folder, "kernel-release")).Trim());
        step($"guest kit {kit.Folder}, kernel {kit.KernelRelease}");
        return kit;
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
