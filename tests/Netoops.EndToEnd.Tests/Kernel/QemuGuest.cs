using System.Diagnostics;
using System.Text;

namespace Netoops.EndToEnd.Tests.Kernel;

/// <summary>How to boot the guest for one scenario.</summary>
/// <param name="Scenario">kit.scenario for the guest's /init: netconsole or pstore.</param>
/// <param name="KernelArguments">Extra kernel command-line words (kit.*, memmap=...).</param>
/// <param name="RebootAllowed">false adds -no-reboot, so the guest's first panic ends qemu.</param>
/// <param name="MaxBoots">More boots than this means the scenario went round in circles.</param>
/// <param name="TimeLimit">Generous: emulation on a busy two-core machine is slow.</param>
/// <param name="MemoryMiB">Guest RAM: the agent's initramfs and runtime need more than the kit alone.</param>
/// <param name="Name">Names the boot's artefacts (NAME.serial.log, NAME.network.pcap), so that two boots of one scenario keep both.</param>
public sealed record GuestBoot(
    string Scenario,
    IReadOnlyList<string> KernelArguments,
    bool RebootAllowed,
    int MaxBoots,
    TimeSpan TimeLimit,
    string Name = "guest",
    int MemoryMiB = 512);

/// <summary>What one qemu process left behind.</summary>
public sealed record GuestRun(int ExitCode, string Serial, int Boots, TimeSpan Elapsed);

/// <summary>
/// Runs the kit's kernel under qemu with software emulation (/dev/kvm does not work on these
/// machines) and user-mode networking, in which the guest reaches the host's 127.0.0.1:PORT as
/// 10.0.2.2:PORT. The serial console goes to a file that is watched while the guest runs, so
/// that progress shows up in the step log and a guest that reboots in a loop is stopped.
/// </summary>
public static class QemuGuest
{
    /// <summary>The firmware is named explicitly so the test knows which BIOS version to expect.</summary>
    public const string Firmware = "/usr/share/seabios/bios-256k.bin";

    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(250);

    public static async Task<GuestRun> RunAsync(GuestKit kit, GuestBoot boot, ScenarioLog log)
    {
        var serialPath = log.PathOf($"{boot.Name}.serial.log");
        var start = new ProcessStartInfo("qemu-system-x86_64")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in Arguments(kit, boot, serialPath, log.PathOf($"{boot.Name}.network.pcap")))
            start.ArgumentList.Add(argument);
        log.Step($"starting qemu-system-x86_64 {string.Join(' ', start.ArgumentList)}");

        var clock = Stopwatch.StartNew();
        using var qemu = Start(start);
        var stdout = qemu.StandardOutput.ReadToEndAsync();
        var stderr = qemu.StandardError.ReadToEndAsync();
        var watcher = new SerialWatcher(serialPath, log);
        try
        {
            while (!qemu.HasExited)
            {
                await Task.WhenAny(qemu.WaitForExitAsync(), Task.Delay(WatchInterval));
                watcher.ReadNewLines();
                if (watcher.Boots > boot.MaxBoots)
                    throw new InvalidOperationException(
                        $"the guest booted {watcher.Boots} times, more than the scenario's {boot.MaxBoots}; see {boot.Name}.serial.log");
                if (clock.Elapsed > boot.TimeLimit)
                    throw new TimeoutException($"the guest still ran after {boot.TimeLimit}; see {boot.Name}.serial.log");
            }
            await qemu.WaitForExitAsync();
        }
        finally
        {
            if (!qemu.HasExited)
            {
                log.Step($"stopping qemu (pid {qemu.Id})");
                qemu.Kill(entireProcessTree: true);
                await qemu.WaitForExitAsync();
            }
        }
        watcher.ReadNewLines();

        var qemuOutput = (await stdout + await stderr).Trim();
        if (qemuOutput.Length > 0)
            log.Step($"qemu said: {qemuOutput}");
        log.Step($"qemu exited with {qemu.ExitCode} after {clock.Elapsed.TotalSeconds:F1}s and {watcher.Boots} boot(s)");
        var serial = File.Exists(serialPath) ? File.ReadAllText(serialPath, Encoding.UTF8) : "";
        return new GuestRun(qemu.ExitCode, serial, watcher.Boots, clock.Elapsed);
    }

    private static Process Start(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException("qemu-system-x86_64 could not be started");
        }
        catch (System.ComponentModel.Win32Exception missing)
        {
            throw new InvalidOperationException(
                $"qemu-system-x86_64 could not be started ({missing.Message}); bash .ci/install installs qemu-system-x86", missing);
        }
    }

    private static IEnumerable<string> Arguments(GuestKit kit, GuestBoot boot, string serialPath, string pcapPath)
    {
        // panic=1, not -1: with an immediate reboot the last panic lines never reach the consoles.
        // no_timer_check: on a busy host the emulated timer can miss the kernel's early IO-APIC
        // check, which then panics ("IO-APIC + timer doesn't work!") before anything runs.
        var commandLine = string.Join(' ',
            new[] { "console=ttyS0", "panic=1", "no_timer_check", $"kit.scenario={boot.Scenario}" }.Concat(boot.KernelArguments));
        string[] arguments =
        [
            "-m", boot.MemoryMiB.ToString(System.Globalization.CultureInfo.InvariantCulture), "-smp", "1", "-accel", "tcg",
            "-bios", Firmware,
            "-kernel", kit.Vmlinuz, "-initrd", kit.Initramfs, "-append", commandLine,
            "-netdev", "user,id=n0", "-device", "virtio-net-pci,netdev=n0,romfile=",
            // Every frame the guest sent or received, as the wire carried it: the datagrams
            // behind a failed comparison, readable with tcpdump -r or Wireshark.
            "-object", $"filter-dump,id=dump0,netdev=n0,file={pcapPath}",
            // Without an entropy source, user-space getrandom() in the guest can block for seconds.
            "-device", "virtio-rng-pci",
            "-serial", $"file:{serialPath}",
            "-display", "none", "-monitor", "none",
        ];
        return boot.RebootAllowed ? arguments : arguments.Append("-no-reboot");
    }

    /// <summary>Follows the serial file: counts boots and puts the guest's milestones in the step log.</summary>
    private sealed class SerialWatcher(string path, ScenarioLog log)
    {
        private long _offset;
        private string _partialLine = "";

        public int Boots { get; private set; }

        public void ReadNewLines()
        {
            if (!File.Exists(path))
                return;
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            file.Seek(_offset, SeekOrigin.Begin);
            using var reader = new StreamReader(file, Encoding.UTF8);
            var text = _partialLine + reader.ReadToEnd();
            _offset = file.Position;
            var lines = text.Split('\n');
            _partialLine = lines[^1];
            foreach (var line in lines[..^1])
                Notice(line.TrimEnd('\r'));
        }

        private void Notice(string line)
        {
            if (line.Contains("] Linux version "))
            {
                Boots++;
                log.Step($"guest boot {Boots}: {line}");
            }
            else if (line.Contains("initlog: ") || line.StartsWith(SerialLog.KitPrefix, StringComparison.Ordinal)
                     || line.Contains("Kernel panic - not syncing"))
            {
                log.Step($"guest: {line}");
            }
        }
    }
}
