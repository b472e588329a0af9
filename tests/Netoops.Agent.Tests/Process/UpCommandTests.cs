using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Netoops.Agent.Tests.Process;

/// <summary>
/// The README's run command end to end: `netoops up` starts a collector and an agent in one
/// process; a soft dump asked for with the CLI becomes a stored crash, seen through the API.
/// </summary>
public sealed class UpCommandTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public Task A_soft_dump_under_netoops_up_is_stored_as_a_crash_in_the_collector() =>
        UnderUp(SoftDumpIsStored);

    /// <summary>Runs <paramref name="body"/> against a fresh `netoops up` (FIFO kmsg, own socket and port), then ends it.</summary>
    private static async Task UnderUp(Func<TempDirectory, string, string, string, System.Diagnostics.Process, StringBuilder, Task> body)
    {
        using var dir = new TempDirectory();
        var kmsg = Path.Combine(dir.Path, "kmsg");
        dir.Fifo("kmsg");
        var socket = Path.Combine(dir.Path, "run", "agent.sock");
        var http = $"127.0.0.1:{FreeTcpPort()}";
        using var up = StartUp(dir, kmsg, socket, http, out var output);
        try
        {
            await body(dir, kmsg, socket, http, up, output);
        }
        finally
        {
            if (!up.HasExited) up.Kill(entireProcessTree: true);
            up.WaitForExit(10_000);
        }
    }

    [Fact]
    public Task A_real_boot_log_under_netoops_up_stores_its_soft_dump_and_no_crash() =>
        UnderUp(async (_, kmsg, socket, http, up, output) =>
        {
            await Until(() => Task.FromResult(output.ToString().Contains("netoops up: collector and agent running")), "netoops up to start", up, output);
            // An AMD EPYC guest's boot as the kernel handed it out, srso "WARNING: See …" notice included.
            KmsgWriter.WriteRecords(kmsg, File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Recorded", "boot.kmsg")));
            var dump = AgentProcess.RunCli("dump", "--soft", "--socket", socket);
            Assert.True(dump.ExitCode == 0, dump.Stderr + dump.Stdout);

            // Then a real WARN. Its end marker makes the agent examine its whole window: a boot notice
            // taken for a report would come first there and take the WARN's place.
            KmsgWriter.WriteLines(kmsg,
            [
                "[   30.000000] ------------[ cut here ]------------",
                "[   30.000001] WARNING: CPU: 0 PID: 1 at drivers/misc/provoke.c:20 provoke_warn+0x12/0x20 [provoke]",
                "[   30.000002] Modules linked in: provoke(O)",
                "[   30.000003] RIP: 0010:provoke_warn+0x12/0x20 [provoke]",
                "[   30.000004] Call Trace:",
                "[   30.000005]  proc_reg_write+0x5a/0xa0",
                "[   30.000006]  vfs_write+0xc1/0x3a0",
                "[   30.000007] ---[ end trace 0000000000000000 ]---",
            ], firstSequence: 10_000);

            using var client = new HttpClient { BaseAddress = new Uri($"http://{http}/") };
            JsonElement[] buckets = [];
            await Until(async () =>
            {
                using var doc = JsonDocument.Parse(await client.GetStringAsync("api/buckets"));
                buckets = doc.RootElement.GetProperty("buckets").EnumerateArray().Select(b => b.Clone()).ToArray();
                return buckets.Any(b => b.GetProperty("kind").GetString() == "soft") && buckets.Any(b => b.GetProperty("kind").GetString() == "warn");
            }, "the soft dump and the WARN to be stored", up, output);
            Assert.Equal(["WARNING in provoke_warn", "soft dump"], buckets.Select(b => b.GetProperty("title").GetString()).Order());
            Assert.All(buckets, b => Assert.Equal(1, b.GetProperty("crashes").GetInt32()));
        });

    private static async Task SoftDumpIsStored(TempDirectory dir, string kmsg, string socket, string http,
        System.Diagnostics.Process up, StringBuilder output)
    {
        await Until(() => Task.FromResult(output.ToString().Contains("netoops up: collector and agent running")), "netoops up to start", up, output);
        KmsgWriter.WriteLines(kmsg, ["[    5.000000] eth0: link up", "[    6.500000] all is well"]);

        var dump = AgentProcess.RunCli("dump", "--soft", "--socket", socket);
        Assert.True(dump.ExitCode == 0, dump.Stderr + dump.Stdout);

        using var client = new HttpClient { BaseAddress = new Uri($"http://{http}/") };
        JsonElement bucket = default;
        await Until(async () =>
        {
            using var doc = JsonDocument.Parse(await client.GetStringAsync("api/buckets"));
            var soft = doc.RootElement.GetProperty("buckets").EnumerateArray().Where(b => b.GetProperty("kind").GetString() == "soft").ToList();
            if (soft.Count == 1) bucket = soft[0].Clone();
            return soft.Count == 1;
        }, "the soft dump to be stored", up, output);
        Assert.Equal(1, bucket.GetProperty("crashes").GetInt32());
        Assert.True(File.Exists(Path.Combine(dir.Path, "data", "netoops.db")), "the SQLite file lives under --data");
    }

    private static System.Diagnostics.Process StartUp(TempDirectory dir, string kmsg, string socket, string http, out StringBuilder output)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { AgentProcess.CliDll, "up", "--data", Path.Combine(dir.Path, "data"), "--http", http,
                     "--netoops", $"127.0.0.1:{AgentProcess.FreeUdpPort()}", "--netconsole", $"127.0.0.1:{AgentProcess.FreeUdpPort()}",
                     "--kmsg", kmsg, "--socket", socket })
            start.ArgumentList.Add(arg);
        var process = System.Diagnostics.Process.Start(start)!;
        var lines = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (lines) lines.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (lines) lines.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output = lines;
        return process;
    }

    private static async Task Until(Func<Task<bool>> condition, string what, System.Diagnostics.Process up, StringBuilder output)
    {
        var deadline = DateTime.UtcNow + Patience;
        try
        {
            while (DateTime.UtcNow < deadline && !up.HasExited)
            {
                try { if (await condition()) return; }
                catch (HttpRequestException) { }
                await Task.Delay(100);
            }
            Assert.Fail($"gave up waiting for {what}:\n{Snapshot(output)}");
        }
        finally
        {
            if (up.HasExited) Assert.Fail($"netoops up exited with {up.ExitCode}:\n{Snapshot(output)}");
        }
    }

    private static string Snapshot(StringBuilder output) { lock (output) return output.ToString(); }

    private static int FreeTcpPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
