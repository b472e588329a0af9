using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Netoops.Collector.Hosting;
using Netoops.Protocol.Packets;

namespace Netoops.Dashboard.Tests.Support;

/// <summary>
/// A real collector (SQLite file, loopback ports) filled through its UDP ingest by a small fleet,
/// and one Chromium for the tests of the "dashboard" collection:
/// <list type="bullet">
/// <item>NULL dereference in ext4: 6 crashes from 127.0.0.11–16 (kernel 6.1, Intel, rack=b12), one of them partial;</item>
/// <item>WARN in provoke_warn: 3 crashes from 127.0.0.21–23 (kernel 6.12, AMD, rack=c01);</item>
/// <item>a general protection fault: 1 crash from 127.0.0.31 (kernel 6.12);</item>
/// <item>a hostile crash full of markup: 1 crash from 127.0.0.41.</item>
/// </list>
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string OldKernel = "6.1.0-56-cloud-amd64";
    public const string NewKernel = "6.12.9-amd64";
    public const int Crashes = 11;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "netoops-dashboard-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<Machine> _machines = [];
    private IPlaywright? _playwright;

    public RunningCollector Collector { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public Uri Url => Collector.HttpUri;

    /// <summary>Where each page's 1280×800 screenshot goes: beside the test assembly.</summary>
    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Collector = await StartCollectorAsync(_dir);
        var intel = new X86Cpu(0, 6, 85, 4);
        var amd = new X86Cpu(2, 25, 1, 1);
        for (var i = 0; i < 6; i++)
        {
            var m = Add($"127.0.0.{11 + i}", OldKernel, intel, "rack=b12 role=db");
            // The last machine's dump loses all but its two newest packets: stored partial, oops intact.
            await m.SendDumpAsync(Collector.NetoopsEndPoint, CrashLogs.NullDeref(m.Address, OldKernel), onlyNewest: i == 5 ? 2 : null);
        }
        for (var i = 0; i < 3; i++)
        {
            var m = Add($"127.0.0.{21 + i}", NewKernel, amd, "rack=c01 role=web");
            await m.SendDumpAsync(Collector.NetoopsEndPoint, CrashLogs.Warn(m.Address, NewKernel));
        }
        var gpf = Add("127.0.0.31", NewKernel, amd, "rack=c01");
        await gpf.SendDumpAsync(Collector.NetoopsEndPoint, CrashLogs.Gpf(gpf.Address, NewKernel));
        var hostile = Add("127.0.0.41", NewKernel, intel, "rack=<img/src=x/onerror=window.__pwned=5>");
        await hostile.SendDumpAsync(Collector.NetoopsEndPoint, CrashLogs.Hostile(NewKernel));

        await WaitForCrashesAsync(Collector, Crashes);
        (_playwright, Browser) = await Chromium.LaunchAsync();
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public static Task<RunningCollector> StartCollectorAsync(string dir) => CollectorHost.StartAsync(new CollectorOptions
    {
        Netoops = new IPEndPoint(IPAddress.Loopback, 0),
        Netconsole = new IPEndPoint(IPAddress.Loopback, 0),
        Http = new IPEndPoint(IPAddress.Loopback, 0),
        Database = $"sqlite:{dir}/netoops.db",
        DumpTimeout = TimeSpan.FromSeconds(1),
    }, configureLogging: l => l.SetMinimumLevel(LogLevel.Warning));

    /// <summary>Waits until the API lists <paramref name="count"/> crashes (ingest, timeouts and storage are asynchronous).</summary>
    public static async Task WaitForCrashesAsync(RunningCollector collector, int count)
    {
        using var http = new HttpClient { BaseAddress = collector.HttpUri };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long stored = 0;
        while (DateTime.UtcNow < deadline)
        {
            var body = await http.GetFromJsonAsync<JsonElement>("/api/buckets?limit=1000");
            stored = body.GetProperty("buckets").EnumerateArray().Sum(b => b.GetProperty("crashes").GetInt64());
            if (stored >= count) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"the collector stored {stored} of {count} crashes");
    }

    internal Machine Add(string address, string kernel, X86Cpu cpu, string blob)
    {
        var machine = new Machine(address, kernel, cpu, blob);
        _machines.Add(machine);
        return machine;
    }

    /// <summary>A fresh 1280×800 page that records script errors and dialogs, so a test can require there were none.</summary>
    public async Task<WatchedPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        return new WatchedPage(context, await context.NewPageAsync());
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        foreach (var m in _machines) m.Dispose();
        if (Collector is not null) await Collector.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}

[CollectionDefinition("dashboard")]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>;
