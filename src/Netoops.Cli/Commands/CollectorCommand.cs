using System.CommandLine;
using Netoops.Collector.Hosting;

namespace Netoops.Cli.Commands;

/// <summary>`netoops collector`: receive netoops dumps and netconsole streams, store and serve crashes.</summary>
internal static class CollectorCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "JSON file with settings (same names as the flags, e.g. {\"db\": \"sqlite:./data/netoops.db\", \"allow\": [\"10.0.0.0/8\"]}); flags win" };
        var netoops = new Option<string?>("--netoops") { Description = "UDP ADDR:PORT for netoops v3 packets [default: 127.0.0.1:2004]" };
        var netconsole = new Option<string?>("--netconsole") { Description = "UDP ADDR:PORT for netconsole messages [default: 127.0.0.1:6666]" };
        var db = new Option<string?>("--db") { Description = "sqlite:PATH or postgres://user:password@host:port/database [default: sqlite:./data/netoops.db]" };
        var http = new Option<string?>("--http") { Description = "ADDR:PORT of the JSON API, /metrics and the dashboard [default: 127.0.0.1:8080]" };
        var rcvbuf = new Option<int?>("--rcvbuf") { Description = "Socket receive buffer in bytes, forced past rmem_max when root [default: 8388608]" };
        var allow = new Option<string[]>("--allow") { Description = "Accept datagrams only from these CIDRs (repeatable) [default: everyone]", AllowMultipleArgumentsPerToken = true };
        var rate = new Option<double?>("--rate-per-source") { Description = "Datagrams per second per sender address, 0 = unlimited [default: 50000]" };
        var timeout = new Option<double?>("--dump-timeout") { Description = "Seconds a dump waits for missing packets before it is stored as partial [default: 10]" };
        var retentionDays = new Option<double?>("--retention-days") { Description = "Delete crashes older than this many days, 0 = keep [default: 90]" };
        var retentionCount = new Option<long?>("--retention-max-crashes") { Description = "Keep at most this many crashes, newest first [default: no limit]" };
        var shards = new Option<int?>("--dump-shards") { Description = "Actors reassembling netoops dumps, each owning a share of the senders [default: CPUs, at most 8]" };
        var analysts = new Option<int?>("--analysts") { Description = "Actors titling and bucketing finished dumps [default: CPUs, at most 4]" };
        var backlog = new Option<long?>("--analysis-backlog-bytes") { Description = "Dump text waiting for analysis before more dumps are dropped, counted [default: 16777216]" };
        var storeQueue = new Option<long?>("--store-queue-bytes") { Description = "Crashes waiting to be written before more are dropped, counted [default: 33554432]" };
        var keyFile = new Option<string?>("--key-file") { Description = "Fleet key file: netoops packets signed with it are marked authenticated, a bad signature is refused [default: none]" };
        var requireSigned = new Option<string[]>("--require-signed") { Description = "CIDR whose netoops packets must be signed (repeatable; needs --key-file); other networks may send unsigned, as stock kernels do", AllowMultipleArgumentsPerToken = false };
        var hostCrashes = new Option<int?>("--host-crashes-per-minute") { Description = "Crashes one host may have stored per minute; the excess is counted per host, 0 = no limit [default: 60]" };
        var hostBytes = new Option<long?>("--host-crash-bytes-per-minute") { Description = "Bytes of crash text one host may have stored per minute, 0 = no limit [default: 16777216]" };

        var command = new Command("collector", "Receive netoops dumps and netconsole streams, store titled and bucketed crashes, serve the JSON API");
        foreach (var option in new Option[] { config, netoops, netconsole, db, http, rcvbuf, allow, rate, timeout, retentionDays, retentionCount, shards, analysts, backlog, storeQueue, hostCrashes, hostBytes, keyFile, requireSigned })
            command.Options.Add(option);

        command.SetAction(async (parse, ct) =>
        {
            CollectorOptions options;
            try
            {
                var flags = new CollectorSettings
                {
                    Netoops = parse.GetValue(netoops),
                    Netconsole = parse.GetValue(netconsole),
                    Db = parse.GetValue(db),
                    Http = parse.GetValue(http),
                    ReceiveBuffer = parse.GetValue(rcvbuf),
                    Allow = parse.GetValue(allow),
                    RatePerSource = parse.GetValue(rate),
                    DumpTimeoutSeconds = parse.GetValue(timeout),
                    RetentionDays = parse.GetValue(retentionDays),
                    RetentionMaxCrashes = parse.GetValue(retentionCount),
                    DumpShards = parse.GetValue(shards),
                    Analysts = parse.GetValue(analysts),
                    AnalysisBacklogBytes = parse.GetValue(backlog),
                    StoreQueueBytes = parse.GetValue(storeQueue),
                    HostCrashesPerMinute = parse.GetValue(hostCrashes),
                    HostCrashBytesPerMinute = parse.GetValue(hostBytes),
                    KeyFile = parse.GetValue(keyFile),
                    RequireSigned = parse.GetValue(requireSigned),
                };
                var file = parse.GetValue(config) is { } path ? CollectorSettings.Load(path.FullName) : new CollectorSettings();
                options = flags.Over(file).ToOptions();
            }
            catch (Exception e) when (e is FormatException or IOException)
            {
                Console.Error.WriteLine($"netoops collector: {e.Message}");
                return 2;
            }
            try
            {
                await using var collector = await CollectorHost.StartAsync(options, ct: ct);
                Console.WriteLine($"collector up: netoops udp {collector.NetoopsEndPoint}, netconsole udp {collector.NetconsoleEndPoint}, " +
                                  $"API {collector.HttpUri}, database {collector.Store.Location.Display}. Ctrl+C stops.");
                await collector.WaitForShutdownAsync(ct);
                return 0;
            }
            catch (System.Data.Common.DbException e)
            {
                Console.Error.WriteLine($"netoops collector: cannot open the database {options.Database}: {e.Message}");
                return 1;
            }
            catch (System.Net.Sockets.SocketException e)
            {
                Console.Error.WriteLine($"netoops collector: cannot bind: {e.Message}");
                return 1;
            }
            catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
            {
                Console.Error.WriteLine($"netoops collector: HTTP address in use: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
