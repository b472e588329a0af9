using Netoops.Analysis;
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
    private const string QemuSystem = "QEMU Standard PC (i440FX + PIIX, 1996)";

    [Fact]
    public async Task Warn_oops_and_bug_reach_both_targets_line_for_line_and_analyse_as_three_bugs()
    {
        using var log = new ScenarioLog(output, "netconsole-warn-oops-bug");
        var kit = await kits.GetAsync(log.Step);

        var capture = await BootAndCaptureAsync(kit, log, "warn", "oops", "bug");

        Assert.Equal(0, capture.Run.ExitCode);
        Assert.Equal(1, capture.Run.Boots);
        Assert.Contains(SerialLog.KitPrefix + "done", SerialLog.Lines(capture.Run.Serial));
        AssertEverySerialLineArrived(capture, log);

        var warn = Analyse(capture, "warn", kit, log);
        Assert.Equal((CrashKind.Warn, "WARNING in provoke_warn"), (warn.Kind, warn.Title));
        AssertKernelRegisters(warn, "provoke_warn", GuestActions.LinesOf(capture.BasicLines, "warn"));

        var oops = Analyse(capture, "oops", kit, log);
        Assert.Equal((CrashKind.Oops, "BUG: unable to handle kernel NULL pointer dereference in provoke_oops"), (oops.Kind, oops.Title));
        AssertKernelRegisters(oops, "provoke_oops", GuestActions.LinesOf(capture.BasicLines, "oops"));

        var bug = Analyse(capture, "bug", kit, log);
        Assert.Equal((CrashKind.Bug, "kernel BUG in provoke_bug"), (bug.Kind, bug.Title));
        AssertKernelRegisters(bug, "provoke_bug", GuestActions.LinesOf(capture.BasicLines, "bug"));

        Assert.Equal(3, new[] { warn.Bucket, oops.Bucket, bug.Bucket }.Distinct().Count());
        // The extended target carries each record's syslog level: a WARN's lines are KERN_WARNING (4).
        var warning = Assert.Single(capture.ExtendedMessages,
            message => message.Record.Text.StartsWith("WARNING: CPU: ", StringComparison.Ordinal));
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
        Assert.Contains(capture.BasicLines, line => ConsoleText.WithoutTimestamp(line) == "Rebooting in 1 seconds..");

        var panic = Analyse(capture, "panic", kit, log);
        Assert.Equal((CrashKind.Panic, "kernel panic: provoke: requested panic"), (panic.Kind, panic.Title));
        // A panic before any oops prints its call trace (after an oops, taint D suppresses it).
        Assert.Contains(GuestActions.LinesOf(capture.BasicLines, "panic"),
            line => ConsoleText.WithoutTimestamp(line).StartsWith(" provoke_panic+0x", StringComparison.Ordinal));

        // KERN_EMERG (0), as in "0,522,6106824,-;Kernel panic - not syncing: ..." from a real capture.
        var emergency = Assert.Single(capture.ExtendedMessages,
            message => message.Record.Text == "Kernel panic - not syncing: provoke: requested panic");
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

    /// <summary>
    /// Analyses what the basic target received for one action, and checks what every report of
    /// this guest must say: the emulated machine, its firmware and the guest kernel's release.
    /// </summary>
    private static CrashReport Analyse(Capture capture, string action, GuestKit kit, ScenarioLog log)
    {
        var received = GuestActions.LinesOf(capture.BasicLines, action);
        var report = CrashAnalyzer.Analyze(received)
                     ?? throw new Xunit.Sdk.XunitException($"no crash report in the {received.Count} lines received for '{action}'");
        log.Step($"{action}: '{report.Title}' ({report.Kind}), bucket '{report.Bucket}', frames {string.Join(" < ", report.Frames)}");

        Assert.Equal(QemuSystem, report.Hardware?.System);
        Assert.Equal(Firmware.SeaBiosVersion(QemuGuest.Firmware), report.Hardware?.BiosVersion);
        Assert.Equal(kit.KernelRelease, report.Kernel?.Release);
        return report;
    }

    /// <summary>
    /// The kernel-mode register block names our function as RIP, and its stack pointer is the one
    /// printed on the report's own "RSP: 0018:..." line; the module list names ours.
    /// </summary>
    private static void AssertKernelRegisters(CrashReport report, string function, IReadOnlyList<string> received)
    {
        Assert.Contains("provoke", report.Kernel?.Modules ?? []);
        var registers = report.Registers ?? throw new Xunit.Sdk.XunitException($"'{report.Title}' has no registers");
        Assert.StartsWith(function + "+0x", registers.Function);
        Assert.Equal(0x10UL, registers.Cs);
        var rsp = received.Select(ConsoleText.WithoutTimestamp).First(line => line.StartsWith("RSP: 0018:", StringComparison.Ordinal));
        Assert.Equal(Convert.ToUInt64(rsp["RSP: 0018:".Length..].Split(' ')[0], 16), registers.Sp);
    }
}
