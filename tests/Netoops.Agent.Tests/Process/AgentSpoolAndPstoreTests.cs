using System.Text;
using Netoops.Agent.Tests.Crash;
using Netoops.Protocol.Packets;

namespace Netoops.Agent.Tests.Process;

[Collection("agent processes")]
public class AgentSpoolAndPstoreTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_dump_no_target_took_is_spooled_survives_kill_9_and_is_sent_once_a_target_is_enabled()
    {
        using var dir = new TempDirectory();
        using var receiver = new DumpReceiver();

        using (var first = await AgentProcess.StartAsync(dir))
        {
            KmsgWriter.WriteLines(Path.Combine(dir.Path, "kmsg"), CrashWatchTests.Oops);
            await AgentDumpTests.WaitForCounter(first, "dumps_spooled", 1);
            first.Kill9();
        }

        using var second = await AgentProcess.StartAsync(dir);
        await AgentDumpTests.WaitForCounter(second, "spool_dumps", 1);
        foreach (var (attribute, value) in new[]
                 {
                     ("dev_name", "lo"), ("local_ip", "127.0.0.1"), ("local_port", AgentProcess.FreeUdpPort().ToString()),
                     ("remote_ip", "127.0.0.1"), ("remote_port", receiver.Port.ToString()),
                 })
        {
            if (attribute == "dev_name") Assert.Equal(0, second.Cli("target", "add", "netoops/late").ExitCode);
            var set = second.Cli("target", "set", "netoops/late", attribute, value);
            Assert.True(set.ExitCode == 0, set.Stderr);
        }
        Assert.Equal(0, second.Cli("target", "enable", "netoops/late").ExitCode);

        var dump = await receiver.NextDumpAsync(Patience);
        Assert.Equal(string.Join("\n", CrashWatchTests.Oops) + "\n", Encoding.UTF8.GetString(dump.Text));
        Assert.Equal(0xfUL, dump.Header.Registers[X86Register.R15]);
        Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, "state", "spool")));
    }

    [Fact]
    public async Task Pstore_records_of_the_previous_boot_are_joined_sent_once_and_archived()
    {
        using var dir = new TempDirectory();
        dir.File("pstore/dmesg-ramoops-2", "Panic#1 Part3\n<6>[    0.000000] Linux version 6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org)\n");
        dir.File("pstore/dmesg-ramoops-1", "Panic#1 Part2\n<4>[   12.300000] CPU: 0 PID: 141 Comm: sh Tainted: G W OE 6.1.0-56-cloud-amd64 #1 Debian 6.1.192-2\n");
        dir.File("pstore/dmesg-ramoops-0", "Panic#1 Part1\n<0>[   12.400000] Kernel panic - not syncing: provoke: requested panic\n");
        using var receiver = new DumpReceiver();
        var target = $"{AgentProcess.FreeUdpPort()}@127.0.0.1/lo,{receiver.Port}@127.0.0.1/";

        using (var agent = await AgentProcess.StartAsync(dir, target))
        {
            var dump = await receiver.NextDumpAsync(Patience);
            Assert.Equal(DumpType.Oops, dump.Header.Type);
            Assert.Equal("6.1.0-56-cloud-amd64", dump.Header.KernelVersion);
            Assert.Equal(
                "[    0.000000] Linux version 6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org)\n" +
                "[   12.300000] CPU: 0 PID: 141 Comm: sh Tainted: G W OE 6.1.0-56-cloud-amd64 #1 Debian 6.1.192-2\n" +
                "[   12.400000] Kernel panic - not syncing: provoke: requested panic\n",
                Encoding.UTF8.GetString(dump.Text));
            await AgentDumpTests.WaitForCounter(agent, "pstore_records", 1);
        }

        Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, "pstore")));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(dir.Path, "state", "pstore-archive")).Length);

        using var restarted = await AgentProcess.StartAsync(dir, target);
        Assert.True(await receiver.StaysQuietAsync(TimeSpan.FromSeconds(3)), "a pstore record was sent twice");
    }
}
