using System.Text.Json;
using Netoops.EndToEnd.Tests.Kernel;
using Xunit.Abstractions;

namespace Netoops.EndToEnd.Tests;

/// <summary>
/// Debian's cloud kernel, booted under qemu, crashes on request and streams its log through
/// netconsole to the real collector on the host, which stores and buckets the crashes. Nothing
/// here is a test double: the kernel is the client nobody in this project wrote.
/// </summary>
[Collection(RealKernelCollection.Name)]
public sealed class RealKernelNetconsoleTests(GuestKitFixture kits, ITestOutputHelper output)
{
    private const string QemuSystem = "QEMU Standard PC (i440FX + PIIX, 1996)";
    /// <summary>User-mode networking: the guest's datagrams reach the host from its loopback.</summary>
    private const string GuestAsSeenByHost = "127.0.0.1";

    /// <summary>What each provoked action must be stored as, and the function its RIP names (none for a panic).</summary>
    private static readonly (string Action, string Kind, string Title, string? RipFunction)[] Expected =
    [
        ("warn", "warn", "WARNING in provoke_warn", "provoke_warn"),
        ("oops", "oops", "BUG: unable to handle kernel NULL pointer dereference in provoke_oops", "provoke_oops"),
        ("bug", "bug", "kernel BUG in provoke_bug", "provoke_bug"),
        ("panic", "panic", "kernel panic: provoke: requested panic", null),
    ];

    [Fact]
    public async Task Four_crashes_of_two_boots_reach_the_collector_line_for_line_and_are_stored_as_four_buckets()
    {
        using var log = new ScenarioLog(output, "netconsole-collector");
        var kit = await kits.GetAsync(log.Step);
        await using var collector = await CollectorUnderTest.StartAsync(log);
        // Both targets send to the one netconsole port: the collector tells them apart by the
        // source port (one session per address and port), the guest's 6665 and 6666 as NATed by qemu.
        var targets = new NetconsoleTargets(collector.NetconsolePort, collector.NetconsolePort);

        // After an oops (taint D) a later panic prints no call trace: the panic gets a boot of its own.
        var crashes = await NetconsoleBoot.RunAsync(kit, log, "crashes", targets, "warn", "oops", "bug");
        Assert.Equal((0, 1), (crashes.ExitCode, crashes.Boots));
        Assert.Contains(SerialLog.KitPrefix + "done", SerialLog.Lines(crashes.Serial));
        var firstTail = await collector.QuietTailAsync(GuestAsSeenByHost, TimeSpan.FromSeconds(20));
        AssertEverySerialLineArrived("crashes", NetconsoleBoot.KernelLinesUntilPowerOff(crashes), firstTail, log);

        // panic=1 reboots the guest; -no-reboot turns that reboot into qemu's exit.
        var panic = await NetconsoleBoot.RunAsync(kit, log, "panic", targets, "panic");
        Assert.Equal((0, 1), (panic.ExitCode, panic.Boots));
        var bothTails = await collector.QuietTailAsync(GuestAsSeenByHost, TimeSpan.FromSeconds(20));
        var panicLines = SerialLog.KernelLines(panic.Serial);
        Assert.Contains(panicLines, line => ConsoleText.WithoutTimestamp(line) == "Rebooting in 1 seconds..");
        AssertEverySerialLineArrived("panic", panicLines, bothTails.Skip(firstTail.Count).ToList(), log);

        // Each crash came over both targets: two crashes per bucket, one bucket per crash kind.
        var buckets = await collector.BucketsAsync(Expected.Length, TimeSpan.FromSeconds(60), crashes: 2 * Expected.Length);
        Assert.Equal(Expected.Select(e => e.Title).Order(), buckets.Select(b => b.GetProperty("title").GetString()).Order());
        var serial = SerialLog.KernelLines(crashes.Serial).Concat(panicLines).ToList();
        foreach (var (action, kind, title, ripFunction) in Expected)
        {
            var bucket = buckets.Single(b => b.GetProperty("title").GetString() == title);
            Assert.Equal(kind, bucket.GetProperty("kind").GetString());
            Assert.Equal(2, bucket.GetProperty("crashes").GetInt64());
            var stored = await collector.CrashesAsync(bucket);
            Assert.Equal(2, stored.Count);
            foreach (var crash in stored)
                AssertCrashFacts(crash, kit, ripFunction is null ? null : ReportLines(serial, action), ripFunction);
        }

        // The kernel's datagrams are all well-formed: none refused, none lost to a full socket buffer.
        var metrics = await collector.MetricsAsync();
        Assert.Equal(metrics.Value("netoops_ingest_datagrams_total{channel=\"netconsole\"}"),
            metrics.Value("netoops_ingest_accepted_total{channel=\"netconsole\"}"));
        Assert.Equal(0, metrics.Value("netoops_ingest_kernel_dropped_total{channel=\"netconsole\"}"));
        Assert.Equal(2 * Expected.Length, metrics.Value("netoops_netconsole_crashes_total"));
        log.Passed();
    }

    /// <summary>
    /// Every kernel line of the serial console arrived twice in the host's tail: once from the
    /// basic target as the console prints it ("[ seconds] text"), once from the extended target
    /// as the record's text; repeats count.
    /// </summary>
    private static void AssertEverySerialLineArrived(string boot, IReadOnlyList<string> serial, IReadOnlyList<string> tail, ScenarioLog log)
    {
        Assert.True(serial.Count > 100, $"{boot}: the serial console shows only {serial.Count} kernel lines: the guest did not boot");
        var missingBasic = ConsoleText.Missing(serial, tail);
        var missingExtended = ConsoleText.Missing(serial.Select(ConsoleText.WithoutTimestamp), tail);
        log.Step($"{boot}: {serial.Count} serial kernel lines, {tail.Count} lines in the collector's tail; "
                 + $"missing from basic: {missingBasic.Count}, from extended: {missingExtended.Count}");
        Assert.True(missingBasic.Count == 0,
            $"{boot}: {missingBasic.Count} serial lines never reached the collector over the basic target, first: {string.Join('\n', missingBasic.Take(5))}");
        Assert.True(missingExtended.Count == 0,
            $"{boot}: {missingExtended.Count} serial lines never reached the collector over the extended target, first: {string.Join('\n', missingExtended.Take(5))}");
    }

    /// <summary>The serial console's lines of one action's report, without their timestamps.</summary>
    private static IReadOnlyList<string> ReportLines(IReadOnlyList<string> serial, string action) =>
        GuestActions.LinesOf(serial, action).Select(ConsoleText.WithoutTimestamp).ToList();

    /// <summary>
    /// What every stored crash of this guest must say: the emulated machine, its firmware, the guest
    /// kernel's release; and for a report with registers, the RIP line the console printed (our
    /// function, kernel code segment 0010) and the stack pointer of its "RSP: 0018:" line.
    /// </summary>
    private static void AssertCrashFacts(JsonElement crash, GuestKit kit, IReadOnlyList<string>? report, string? ripFunction)
    {
        var id = crash.GetProperty("id").GetInt64();
        Assert.Equal(QemuSystem, crash.GetProperty("hardware").GetString());
        Assert.StartsWith(Firmware.SeaBiosVersion(QemuGuest.Firmware) + " ", crash.GetProperty("bios").GetString());
        Assert.Equal(kit.KernelRelease, crash.GetProperty("kernel").GetString());
        Assert.Equal("netconsole", crash.GetProperty("origin").GetString());
        if (report is null || ripFunction is null)
            return;

        var rip = report.First(line => line.StartsWith("RIP: 0010:", StringComparison.Ordinal));
        Assert.StartsWith($"RIP: 0010:{ripFunction}+0x", rip);
        var storedReport = crash.GetProperty("report").GetString()!;
        Assert.True(storedReport.Contains(rip, StringComparison.Ordinal), $"crash {id}'s report lacks the console's '{rip}'");

        var registers = crash.GetProperty("registers");
        Assert.Equal(0x10UL, Register(registers, "cs"));
        var rsp = report.First(line => line.StartsWith("RSP: 0018:", StringComparison.Ordinal));
        Assert.Equal(Convert.ToUInt64(rsp["RSP: 0018:".Length..].Split(' ')[0], 16), Register(registers, "sp"));
    }

    /// <summary>The API gives registers as "0x" and 16 hex digits.</summary>
    private static ulong Register(JsonElement registers, string name) =>
        Convert.ToUInt64(registers.GetProperty(name).GetString()![2..], 16);
}
