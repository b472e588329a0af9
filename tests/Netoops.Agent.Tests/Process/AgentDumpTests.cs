using System.Text;
using Netoops.Agent.Machine;
using Netoops.Agent.Tests.Crash;
using Netoops.Protocol.Packets;

namespace Netoops.Agent.Tests.Process;

[CollectionDefinition("agent processes", DisableParallelization = true)]
public sealed class AgentProcessCollection;

/// <summary>Real agent processes, real FIFOs, real UDP on loopback.</summary>
[Collection("agent processes")]
public class AgentDumpTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static string Target(int destinationPort)
        => $"{AgentProcess.FreeUdpPort()}@127.0.0.1/lo,{destinationPort}@127.0.0.1/";

    [Fact]
    public async Task An_oops_written_into_the_fifo_arrives_at_a_udp_receiver_as_a_complete_netoops_dump()
    {
        using var dir = new TempDirectory();
        using var receiver = new DumpReceiver();
        using var agent = await AgentProcess.StartAsync(dir, Target(receiver.Port));

        KmsgWriter.WriteLines(Path.Combine(dir.Path, "kmsg"), CrashWatchTests.Oops);
        var dump = await receiver.NextDumpAsync(Patience);

        var facts = MachineFacts.Read("/");
        Assert.True(dump.IsComplete);
        Assert.Equal(DumpType.Oops, dump.Header.Type);
        Assert.Equal(facts.KernelRelease, dump.Header.KernelVersion);
        Assert.Equal(facts.BootId, dump.Header.BootId);
        Assert.Equal(facts.UserBlob, dump.Header.UserBlobText);
        Assert.Equal(new X86Cpu(facts.Cpu.Vendor, facts.Cpu.Family, facts.Cpu.Model, facts.Cpu.Stepping), dump.Header.Cpu);
        var registers = dump.Header.Registers;
        Assert.Equal(0xfUL, registers[X86Register.R15]);
        Assert.Equal(0x1UL, registers[X86Register.Ax]);
        Assert.Equal(0xffffd33b0059bd08UL, registers[X86Register.Sp]);
        Assert.Equal(0x10UL, registers[X86Register.Cs]);
        Assert.Equal(0x10246UL, registers[X86Register.Flags]);
        Assert.Equal(string.Join("\n", CrashWatchTests.Oops) + "\n", Encoding.UTF8.GetString(dump.Text));
    }

    [Fact]
    public async Task A_soft_dump_requested_with_the_cli_arrives_as_a_soft_dump_of_the_log()
    {
        using var dir = new TempDirectory();
        using var receiver = new DumpReceiver();
        using var agent = await AgentProcess.StartAsync(dir, Target(receiver.Port));
        KmsgWriter.WriteLines(Path.Combine(dir.Path, "kmsg"), ["[    5.000000] eth0: link up", "[    6.500000] all is well"]);
        await WaitForCounter(agent, "kmsg_records", 2);

        var (exit, stdout, stderr) = agent.Cli("dump", "--soft");
        Assert.True(exit == 0, stderr);
        Assert.Contains("cmdline0 Sent", stdout);

        var dump = await receiver.NextDumpAsync(Patience);
        Assert.Equal(DumpType.Soft, dump.Header.Type);
        Assert.True(dump.Header.Registers.IsZero);
        Assert.Equal("[    5.000000] eth0: link up\n[    6.500000] all is well\n", Encoding.UTF8.GetString(dump.Text));
    }

    [Fact]
    public async Task An_oom_kill_is_dumped_when_record_oom_is_on()
    {
        using var dir = new TempDirectory();
        using var receiver = new DumpReceiver();
        using var agent = await AgentProcess.StartAsync(dir, Target(receiver.Port),
            settings: new Dictionary<string, string> { ["RecordOom"] = "true" });

        KmsgWriter.WriteLines(Path.Combine(dir.Path, "kmsg"), CrashWatchTests.OomKill);
        var dump = await receiver.NextDumpAsync(Patience);

        Assert.True(dump.IsComplete);
        Assert.Equal(DumpType.Oops, dump.Header.Type); // vendor kernels send OOM dumps as printk buffers too
        Assert.True(dump.Header.Registers.IsZero);     // an OOM kill has no faulting context
        Assert.Equal(string.Join("\n", CrashWatchTests.OomKill) + "\n", Encoding.UTF8.GetString(dump.Text));
        await WaitForCounter(agent, "dumps_sent", 1); // the targets' reports follow the packets
        using var client = agent.Client();
        var summary = Assert.Single((await client.Status()).RecentDumps);
        Assert.Equal("Oom", summary.Cause);
        Assert.Null(summary.Refused);
    }

    [Fact]
    public async Task An_oom_kill_is_not_dumped_while_record_oom_is_off_and_is_once_it_is_turned_on()
    {
        using var dir = new TempDirectory();
        using var receiver = new DumpReceiver();
        using var agent = await AgentProcess.StartAsync(dir, Target(receiver.Port));
        var fifo = Path.Combine(dir.Path, "kmsg");

        KmsgWriter.WriteLines(fifo, CrashWatchTests.OomKill);
        await WaitForCounter(agent, "dumps_refused", 1);
        Assert.True(await receiver.StaysQuietAsync(TimeSpan.FromSeconds(1)));
        using var client = agent.Client();
        var refused = Assert.Single((await client.Status()).RecentDumps);
        Assert.Equal("Oom", refused.Cause);
        Assert.Contains("record_oom", refused.Refused);
        Assert.False(refused.Spooled); // a decision, not a loss: nothing to send later

        await client.WriteSetting("record_oom", "1");
        KmsgWriter.WriteLines(fifo, CrashWatchTests.OomKill.Select(l => l.Replace("[  500.", "[  600.")), firstSequence: 200);
        var dump = await receiver.NextDumpAsync(Patience);
        Assert.Contains("Out of memory: Killed process 812", Encoding.UTF8.GetString(dump.Text));
    }

    internal static async Task WaitForCounter(AgentProcess agent, string counter, long atLeast)
    {
        using var client = agent.Client();
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var status = await client.Status();
            if (status.Counters.GetValueOrDefault(counter) >= atLeast) return;
            await Task.Delay(50);
        }
        Assert.Fail($"counter {counter} did not reach {atLeast}:\n{agent.Output}");
    }
}
