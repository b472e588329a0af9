using Netoops.EndToEnd.Tests.Kernel;
using Netoops.Protocol.Netconsole;
using Xunit.Abstractions;

namespace Netoops.EndToEnd.Tests;

/// <summary>
/// Debian's cloud kernel, booted under qemu, crashes on request and streams its log through
/// netconsole to UDP receivers on the host. Nothing here is a test double: the kernel is the
/// client nobody in this project wrote.
/// </summary>
[Collection(RealKernelCollection.Name)]
public sealed class RealKernelNetconsoleTests(GuestKitFixture kits, ITestOutputHelper output)
{
    private const string QemuHardware = "Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS ";

    [Fact]
    public async Task Warn_oops_and_bug_reach_basic_and_extended_targets_line_for_line()
    {
        using var log = new ScenarioLog(output, "netconsole-warn-oops-bug");
        var kit = await kits.GetAsync(log.Step);

        var capture = await BootAndCaptureAsync(kit, log, "warn", "oops", "bug");

        Assert.Equal(0, capture.Run.ExitCode);
        Assert.Equal(1, capture.Run.Boots);
        Assert.Contains(SerialLog.KitPrefix + "done", SerialLog.Lines(capture.Run.Serial));
        AssertEverySerialLineArrived(capture, log);
        var received = capture.BasicLines;
        var bios = Firmware.SeaBiosVersion(QemuGuest.Firmware);

        var warn = Report(received, "the WARN", line => line.StartsWith("WARNING: CPU: ", StringComparison.Ordinal)
                                                      && line.Contains(" at provoke.c:", StringComparison.Ordinal));
        Assert.Contains(" provoke_warn+0x", warn.Lines[0]);
        AssertMachine(warn, kit, bios);
        Assert.StartsWith("RIP: 0010:provoke_warn+0x", warn.Line("RIP: 0010:"));
        Assert.StartsWith("---[ end trace ", warn.Lines[^1]);

        var oops = Report(received, "the oops", line => line == "BUG: kernel NULL pointer dereference, address: 0000000000000000");
        Assert.NotNull(oops.Line("Oops: 0002 [#1]"));
        AssertMachine(oops, kit, bios);
        Assert.StartsWith("RIP: 0010:provoke_oops+0x", oops.Line("RIP: 0010:"));
        Assert.True(oops.HasFrame("provoke_write"), $"the oops' call trace does not name provoke_write:\n{oops}");

        var bug = Report(received, "the BUG", line => line.StartsWith("kernel BUG at provoke.c:", StringComparison.Ordinal));
        Assert.NotNull(bug.Line("invalid opcode: 0000 [#2]"));
        AssertMachine(bug, kit, bios);
        Assert.StartsWith("RIP: 0010:provoke_bug+0x", bug.Line("RIP: 0010:"));

        // The extended target carries each record's syslog level: a WARN's lines are KERN_WARNING (4).
        var warning = Assert.Single(capture.ExtendedMessages, message => message.Record.Text == warn.Lines[0]);
        Assert.Equal(4, warning.Record.Level);
        log.Passed();
    }

    [Fact]
    public async Task A_panic_reaches_both_targets_with_its_call_trace_before_the_guest_reboots()
    {
        using var log = new ScenarioLog(output, "netconsole-panic");
        var kit = await kits.GetAsync(log.Step);

        var capture = await BootAndCaptureAsync(kit, log, "panic");

        // panic=1 reboots the guest; -no-reboot turns that reboot into qemu's exit.
        Assert.Equal(0, capture.Run.ExitCode);
        Assert.Equal(1, capture.Run.Boots);
        AssertEverySerialLineArrived(capture, log);

        var panic = Report(capture.BasicLines, "the panic", line => line == "Kernel panic - not syncing: provoke: requested panic");
        AssertMachine(panic, kit, Firmware.SeaBiosVersion(QemuGuest.Firmware));
        Assert.True(panic.HasFrame("provoke_panic"), $"the panic's call trace does not name provoke_panic:\n{panic}");
        Assert.NotNull(panic.Line("Rebooting in 1 seconds"));

        // KERN_EMERG (0), as in "0,522,6106824,-;Kernel panic - not syncing: ..." from a real capture.
        var emergency = Assert.Single(capture.ExtendedMessages, message => message.Record.Text == panic.Lines[0]);
        Assert.Equal(0, emergency.Record.Level);
        log.Passed();
    }

    /// <summary>What one boot left: the serial console and what each netconsole target received.</summary>
    private sealed record Capture(
        GuestRun Run,
        IReadOnlyList<string> SerialKernelLines,
        IReadOnlyList<string> BasicLines,
        IReadOnlyList<ExtendedMessage> ExtendedMessages,
        IReadOnlyList<string> ExtendedRefusals);

    private static async Task<Capture> BootAndCaptureAsync(GuestKit kit, ScenarioLog log, params string[] actions)
    {
        using var basic = new UdpCapture("basic");
        using var extended = new UdpCapture("extended");

        var run = await NetconsoleBoot.RunAsync(kit, log, new NetconsoleTargets(basic.Port, extended.Port), actions);

        // qemu has exited, but its last datagrams may still sit in the host's socket buffers.
        await basic.WaitUntilQuietAsync(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10));
        await extended.WaitUntilQuietAsync(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10));
        basic.Save(log);
        extended.Save(log);
        var (messages, refusals) = ExtendedDatagrams.Read(extended.Datagrams);
        var capture = new Capture(run, NetconsoleBoot.KernelLinesUntilPowerOff(run),
            basic.Stream.Split('\n'), messages, refusals);
        log.Step($"serial: {capture.SerialKernelLines.Count} kernel lines; basic: {capture.BasicLines.Count} lines; "
                 + $"extended: {messages.Count} messages, {refusals.Count} refused");
        return capture;
    }

    /// <summary>Both targets must have delivered every line the serial console shows, repeats included.</summary>
    private static void AssertEverySerialLineArrived(Capture capture, ScenarioLog log)
    {
        Assert.True(capture.SerialKernelLines.Count > 100,
            $"the serial console shows only {capture.SerialKernelLines.Count} kernel lines: the guest did not boot");
        Assert.Empty(capture.ExtendedRefusals);

        var missingBasic = ConsoleText.Missing(capture.SerialKernelLines, capture.BasicLines);
        var missingExtended = ConsoleText.Missing(capture.SerialKernelLines,
            capture.ExtendedMessages.SelectMany(message => ExtendedDatagrams.ConsoleLines(message.Record)));
        log.Step($"serial lines missing from basic: {missingBasic.Count}, from extended: {missingExtended.Count}");
        Assert.True(missingBasic.Count == 0,
            $"{missingBasic.Count} serial lines never reached the basic target, first: {string.Join('\n', missingBasic.Take(5))}");
        Assert.True(missingExtended.Count == 0,
            $"{missingExtended.Count} serial lines never reached the extended target, first: {string.Join('\n', missingExtended.Take(5))}");
    }

    private static KernelReport Report(IEnumerable<string> lines, string crash, Func<string, bool> isStart) =>
        KernelReport.Find(lines, isStart) ?? throw new Xunit.Sdk.XunitException($"{crash} never reached the basic target");

    /// <summary>The report names the emulated machine, its firmware and the guest kernel's release.</summary>
    private static void AssertMachine(KernelReport report, GuestKit kit, string bios)
    {
        var hardware = report.Line("Hardware name: ");
        Assert.NotNull(hardware);
        Assert.StartsWith(QemuHardware + bios + " ", hardware);
        var cpu = report.Line("CPU: ");
        Assert.NotNull(cpu);
        Assert.Contains($" {kit.KernelRelease} #", cpu);
    }
}
