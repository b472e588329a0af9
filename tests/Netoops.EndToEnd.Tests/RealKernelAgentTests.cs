using System.Text.Json;
using Netoops.EndToEnd.Tests.Kernel;
using Xunit.Abstractions;

namespace Netoops.EndToEnd.Tests;

/// <summary>
/// Our agent, published self-contained and run inside the guest on its real /dev/kmsg, catches an
/// oops of Debian's kernel and ships it as a netoops v3 dump over the emulated network to the
/// collector on the host.
/// </summary>
[Collection(RealKernelCollection.Name)]
public sealed class RealKernelAgentTests(GuestKitFixture kits, ITestOutputHelper output)
{
    /// <summary>The agent's netoops source port inside the guest; any free one would do.</summary>
    private const int AgentSourcePort = 6667;

    [Fact]
    public async Task The_agent_in_the_guest_ships_a_real_oops_as_a_netoops_dump_whose_registers_match_the_report()
    {
        using var log = new ScenarioLog(output, "agent-in-guest");
        var kit = await kits.GetWithAgentAsync(log.Step);
        await using var collector = await CollectorUnderTest.StartAsync(log);

        // Emulated .NET start-up is slow: minutes, not seconds, on a busy two-core machine.
        var boot = new GuestBoot("agent", [$"kit.netoops={AgentSourcePort}@10.0.2.15/eth0,{collector.NetoopsPort}@10.0.2.2/"],
            RebootAllowed: false, MaxBoots: 1, TimeLimit: TimeSpan.FromMinutes(15), Name: "agent", MemoryMiB: 1024);
        var run = await QemuGuest.RunAsync(kit, boot, log);

        Assert.Equal((0, 1), (run.ExitCode, run.Boots));
        var serial = SerialLog.KernelLines(run.Serial);
        Assert.Contains(serial, line => ConsoleText.WithoutTimestamp(line).StartsWith("initlog: agent started after ", StringComparison.Ordinal));
        Assert.Contains(SerialLog.Lines(run.Serial), line => line.StartsWith(SerialLog.KitPrefix + "agent: ", StringComparison.Ordinal)
            && line.Contains("cmdline0 Sent", StringComparison.Ordinal));

        var bucket = Assert.Single(await collector.BucketsAsync(1, TimeSpan.FromSeconds(60)));
        Assert.Equal("BUG: unable to handle kernel NULL pointer dereference in provoke_oops", bucket.GetProperty("title").GetString());
        var crash = Assert.Single(await collector.CrashesAsync(bucket));
        Assert.Equal("netoops", crash.GetProperty("origin").GetString());
        Assert.True(crash.GetProperty("complete").GetBoolean(), "the dump arrived with packets missing");
        Assert.Equal(kit.KernelRelease, crash.GetProperty("kernel").GetString());
        Assert.Equal("QEMU Standard PC (i440FX + PIIX, 1996)", crash.GetProperty("hardware").GetString());

        // The registers the collector read from the dump are those the console printed.
        var report = GuestActions.LinesOf(serial, "oops").Select(ConsoleText.WithoutTimestamp).ToList();
        var rip = report.First(line => line.StartsWith("RIP: 0010:provoke_oops+0x", StringComparison.Ordinal));
        Assert.Contains(rip, crash.GetProperty("report").GetString());
        var registers = crash.GetProperty("registers");
        Assert.Equal(0x10UL, Register(registers, "cs"));
        var rsp = report.First(line => line.StartsWith("RSP: 0018:", StringComparison.Ordinal));
        Assert.Equal(Convert.ToUInt64(rsp["RSP: 0018:".Length..].Split(' ')[0], 16), Register(registers, "sp"));
        var rax = report.First(line => line.StartsWith("RAX: ", StringComparison.Ordinal));
        Assert.Equal(Convert.ToUInt64(rax["RAX: ".Length..].Split(' ')[0], 16), Register(registers, "ax"));
        log.Passed();
    }

    /// <summary>The API gives registers as "0x" and 16 hex digits.</summary>
    private static ulong Register(JsonElement registers, string name) =>
        Convert.ToUInt64(registers.GetProperty(name).GetString()![2..], 16);
}
