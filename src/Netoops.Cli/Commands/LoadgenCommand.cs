using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Netoops.Collector.Hosting;
using Netoops.Collector.Loadgen;

namespace Netoops.Cli.Commands;

/// <summary>`netoops loadgen`: a simulated fleet against a running collector; prints sent vs stored.</summary>
internal static class LoadgenCommand
{
    public static Command Create()
    {
        var netoops = new Option<string>("--netoops") { Description = "Collector's netoops UDP address", DefaultValueFactory = _ => "127.0.0.1:2004" };
        var netconsole = new Option<string>("--netconsole") { Description = "Collector's netconsole UDP address", DefaultValueFactory = _ => "127.0.0.1:6666" };
        var url = new Option<string>("--url") { Description = "Collector's HTTP address, read for what was stored", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var hosts = new Option<int>("--hosts") { Description = "Simulated machines, each with its own 127.1.x.y address", DefaultValueFactory = _ => 100 };
        var duration = new Option<double>("--duration") { Description = "Seconds to send", DefaultValueFactory = _ => 10 };
        var dumps = new Option<double>("--dumps-per-second") { Description = "Netoops dumps per second (0 = none)", DefaultValueFactory = _ => 50 };
        var messages = new Option<double>("--messages-per-second") { Description = "Extended netconsole messages per second (0 = none)", DefaultValueFactory = _ => 10_000 };
        var rounds = new Option<int>("--rounds") { Description = "Times each dump is sent, as the kernel retransmits", DefaultValueFactory = _ => 3 };
        var bootLines = new Option<int>("--boot-lines") { Description = "Log lines before the report in each dump (size of a dump)", DefaultValueFactory = _ => 200 };
        var loss = new Option<double>("--loss") { Description = "Probability a datagram is lost", DefaultValueFactory = _ => 0 };
        var duplicate = new Option<double>("--duplicate") { Description = "Probability a datagram is sent twice", DefaultValueFactory = _ => 0 };
        var reorder = new Option<double>("--reorder") { Description = "Probability a datagram swaps places with the next", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulated network's randomness", DefaultValueFactory = _ => 1 };
        var messageBytes = new Option<int>("--message-bytes") { Description = "Size of an ordinary netconsole datagram, 40 to 1000 bytes", DefaultValueFactory = _ => 100 };
        var settle = new Option<double>("--settle") { Description = "Seconds to wait after sending before reading what was stored (dump timeout + margin)", DefaultValueFactory = _ => 12 };

        var command = new Command("loadgen", "Simulate a fleet: netoops dumps and netconsole streams from many loopback addresses, with seeded loss, duplication and reordering; print sent vs stored");
        foreach (var option in new Option[] { netoops, netconsole, url, hosts, duration, dumps, messages, rounds, bootLines, loss, duplicate, reorder, seed, messageBytes, settle })
            command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            FleetSimulator simulator;
            try
            {
                if (parse.GetValue(hosts) is < 1 or > 62_500) throw new FormatException("--hosts must be 1 to 62500");
                if (parse.GetValue(messageBytes) is < 40 or > 1000) throw new FormatException("--message-bytes must be 40 to 1000");
                foreach (var p in new[] { loss, duplicate, reorder })
                    if (parse.GetValue(p) is < 0 or > 1) throw new FormatException($"{p.Name} is a probability from 0 to 1");
                simulator = new FleetSimulator(new FleetSettings
                {
                    Hosts = parse.GetValue(hosts),
                    Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
                    DumpsPerSecond = parse.GetValue(dumps),
                    MessagesPerSecond = parse.GetValue(messages),
                    Rounds = parse.GetValue(rounds),
                    BootLines = parse.GetValue(bootLines),
                    Loss = parse.GetValue(loss),
                    Duplicate = parse.GetValue(duplicate),
                    Reorder = parse.GetValue(reorder),
                    Seed = parse.GetValue(seed),
                    MessageBytes = parse.GetValue(messageBytes),
                }, CollectorSettings.Endpoint("--netoops", parse.GetValue(netoops)), CollectorSettings.Endpoint("--netconsole", parse.GetValue(netconsole)));
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"netoops loadgen: {e.Message}");
                return 2;
            }
            using var http = new HttpClient { BaseAddress = new Uri(parse.GetValue(url)!), Timeout = TimeSpan.FromSeconds(10) };
            var before = await Metrics(http, ct);
            if (before is null) Console.Error.WriteLine($"netoops loadgen: cannot read {http.BaseAddress}metrics; sending anyway, stored counts unknown");
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var report = await simulator.RunAsync(ct);
            var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            Console.WriteLine($"sent in {report.Elapsed.TotalSeconds:F1} s: {report.Dumps} dumps ({report.DumpPackets} packets, {report.DumpDatagramsSent} datagrams after rounds/loss/duplication), " +
                              $"{report.Messages} netconsole messages ({report.MessageDatagramsSent} datagrams, {report.NetconsoleCrashes} crash reports)");
            var datagrams = report.DumpDatagramsSent + report.MessageDatagramsSent;
            Console.WriteLine($"sender: {datagrams / report.Elapsed.TotalSeconds:N0} datagrams/s, {used:F1} CPU-seconds = {datagrams / Math.Max(used, 0.01):N0} datagrams per CPU-second; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            if (before is null) return 0;
            await Task.Delay(TimeSpan.FromSeconds(parse.GetValue(settle)), ct);
            var after = await Metrics(http, ct) ?? before;
            long D(string name) => after.GetValueOrDefault(name) - before.GetValueOrDefault(name);
            Console.WriteLine($"stored: {D("netoops_dumps_complete_total")} complete + {D("netoops_dumps_partial_total")} partial dumps " +
                              $"of {report.Dumps} sent ({D("netoops_dumps_evicted_total")} evicted), {D("netoops_netconsole_crashes_total")} netconsole crashes of {report.NetconsoleCrashes}, " +
                              $"{D("netoops_store_crashes_written_total")} rows written");
            Console.WriteLine($"received: {D("netoops_ingest_datagrams_total{channel=\"netoops\"}")} netoops and {D("netoops_ingest_datagrams_total{channel=\"netconsole\"}")} netconsole datagrams; " +
                              $"{D("netoops_netconsole_messages_total")} messages parsed; kernel dropped {D("netoops_ingest_kernel_dropped_total{channel=\"netoops\"}")} + {D("netoops_ingest_kernel_dropped_total{channel=\"netconsole\"}")}; " +
                              $"rate-limited {D("netoops_ingest_rate_limited_total{channel=\"netoops\"}") + D("netoops_ingest_rate_limited_total{channel=\"netconsole\"}")}");
            return 0;
        });
        return command;
    }

    /// <summary>The collector's /metrics samples by name with labels, or null when it cannot be read.</summary>
    private static async Task<Dictionary<string, long>?> Metrics(HttpClient http, CancellationToken ct)
    {
        try
        {
            var text = await http.GetStringAsync("/metrics", ct);
            var samples = new Dictionary<string, long>();
            foreach (var line in text.Split('\n'))
            {
                if (line.Length == 0 || line[0] == '#') continue;
                var space = line.LastIndexOf(' ');
                if (space > 0 && long.TryParse(line[(space + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                    samples[line[..space]] = value;
            }
            return samples;
        }
        catch (HttpRequestException) { return null; }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { return null; }
    }
}
