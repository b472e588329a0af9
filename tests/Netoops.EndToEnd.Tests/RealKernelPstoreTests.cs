using System.Text;
using System.Text.RegularExpressions;
using Netoops.Analysis;
using Netoops.EndToEnd.Tests.Kernel;
using Netoops.Protocol.Pstore;
using Xunit.Abstractions;

namespace Netoops.EndToEnd.Tests;

/// <summary>
/// Debian's cloud kernel under qemu keeps its panic log in ramoops across a reboot, and the
/// next boot finds it as /sys/fs/pstore/dmesg-ramoops-N: the input of the agent's pstore harvester.
/// </summary>
[Collection(RealKernelCollection.Name)]
public sealed partial class RealKernelPstoreTests(GuestKitFixture kits, ITestOutputHelper output)
{
    [Fact]
    public async Task A_panic_survives_the_reboot_as_a_dmesg_ramoops_record_holding_the_whole_report()
    {
        using var log = new ScenarioLog(output, "pstore-panic");
        var kit = await kits.GetAsync(log.Step);

        var capture = await PstoreBoot.RunAsync(kit, log);

        Assert.Equal(0, capture.Run.ExitCode);
        Assert.Equal(2, capture.Run.Boots);
        Assert.Contains(SerialLog.KitPrefix + "done", SerialLog.Lines(capture.Run.Serial));
        Assert.All(capture.Records.Keys, name => Assert.True(File.Exists(Path.Combine(capture.RecordsFolder, name))));
        var dmesg = capture.Records
            .Select(record => (Name: PstoreFileName.TryParse(record.Key, out var name) ? name : null, Text: Encoding.UTF8.GetString(record.Value)))
            .Where(record => record.Name is { IsDmesg: true, Backend: "ramoops", Compressed: false })
            .OrderBy(record => record.Name!.Id)
            .ToList();
        Assert.NotEmpty(dmesg);

        // "<Reason>#<count> Part<N>" heads each record; Part1 holds the newest text, the panic.
        var parts = dmesg.Select(record => PstoreRecordHeader.TryParse(record.Text, out var header, out var text)
            ? (header, text)
            : throw new Xunit.Sdk.XunitException($"{record.Name} has no pstore header: {record.Text[..Math.Min(80, record.Text.Length)]}")).ToList();
        Assert.Contains(parts, part => part.header == new PstoreRecordHeader("Panic", 1, 1));
        var recordLines = parts.SelectMany(part => part.text.Split('\n')).Select(WithoutSyslogLevel).ToList();
        var panic = CrashAnalyzer.Analyze(recordLines);
        Assert.NotNull(panic);
        Assert.Equal((CrashKind.Panic, "kernel panic: provoke: requested panic"), (panic.Kind, panic.Title));
        Assert.Contains(recordLines, line => ConsoleText.WithoutTimestamp(line).StartsWith(" provoke_panic+0x", StringComparison.Ordinal));
        Assert.Equal(kit.KernelRelease, panic.Kernel?.Release);
        Assert.Equal(Firmware.SeaBiosVersion(QemuGuest.Firmware), panic.Hardware?.BiosVersion);

        // The record is the first boot's log as the panic left it: every line the console showed
        // up to the dump, none lost. ("Rebooting in 1 seconds.." comes after the dump.)
        var firstBoot = FirstBootKernelLines(capture.Run.Serial)
            .TakeWhile(line => !ConsoleText.WithoutTimestamp(line).StartsWith("Rebooting in ", StringComparison.Ordinal))
            .ToList();
        var missing = ConsoleText.Missing(firstBoot, recordLines);
        Assert.True(missing.Count == 0,
            $"{missing.Count} first-boot console lines are not in the pstore record, first: {string.Join('\n', missing.Take(5))}");
        log.Passed();
    }

    private static IEnumerable<string> FirstBootKernelLines(string serial) =>
        SerialLog.KernelLines(serial)
            .Select((line, index) => (line, index))
            .TakeWhile(entry => entry.index == 0 || !entry.line.Contains("] Linux version ", StringComparison.Ordinal))
            .Select(entry => entry.line);

    /// <summary>pstore keeps each line's syslog level: "&lt;6&gt;[    0.000000] Command line: ...".</summary>
    private static string WithoutSyslogLevel(string line) => SyslogLevel().Replace(line, "");

    [GeneratedRegex(@"^<\d+>")]
    private static partial Regex SyslogLevel();
}
