using System.Text;
using System.Text.RegularExpressions;
using Netoops.Agent.Pstore;
using Netoops.Analysis;
using Netoops.EndToEnd.Tests.Kernel;
using Netoops.Protocol.Pstore;
using Xunit.Abstractions;

namespace Netoops.EndToEnd.Tests;

/// <summary>
/// Debian's cloud kernel under qemu keeps its panic log in ramoops across a reboot, and the
/// next boot finds it as /sys/fs/pstore/dmesg-ramoops-N; the real agent harvests those records
/// and ships them as a netoops dump of the previous boot to the real collector.
/// </summary>
[Collection(RealKernelCollection.Name)]
public sealed partial class RealKernelPstoreTests(GuestKitFixture kits, ITestOutputHelper output)
{
    /// <summary>Stands for the crashed boot in the agent's boot history.</summary>
    private const uint CrashedBootId = 0x0c0ffee1;

    [Fact]
    public async Task A_panic_survives_the_reboot_in_ramoops_and_the_agent_ships_it_to_the_collector_as_the_previous_boots_dump()
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

        // The machine is up again: the agent starts, finds the records, and sends them on.
        await using var collector = await CollectorUnderTest.StartAsync(log);
        var crashedBoot = new BootHistory.BootInfo("the guest's crashed boot", CrashedBootId, kit.KernelRelease);
        await using (await AgentUnderTest.StartAsync(log, capture.RecordsFolder, collector.NetoopsPort, crashedBoot))
        {
            var bucket = Assert.Single(await collector.BucketsAsync(1, TimeSpan.FromSeconds(90)));
            Assert.Equal(("kernel panic: provoke: requested panic", "panic"),
                (bucket.GetProperty("title").GetString(), bucket.GetProperty("kind").GetString()));
            var crash = Assert.Single(await collector.CrashesAsync(bucket));
            Assert.Equal("netoops", crash.GetProperty("origin").GetString());
            Assert.True(crash.GetProperty("complete").GetBoolean(), "the dump arrived with packets missing");
            Assert.Equal(CrashedBootId, crash.GetProperty("boot_id").GetUInt32());
            Assert.Equal(kit.KernelRelease, crash.GetProperty("kernel").GetString());
            Assert.Equal("QEMU Standard PC (i440FX + PIIX, 1996)", crash.GetProperty("hardware").GetString());
            // The dump carries the record's text: the panic and the call trace through our function.
            var text = crash.GetProperty("log_text").GetString()!;
            Assert.Contains("Kernel panic - not syncing: provoke: requested panic", text);
            Assert.Contains(" provoke_panic+0x", text);
        }
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
