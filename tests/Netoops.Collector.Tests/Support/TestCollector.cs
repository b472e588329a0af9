using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Netoops.Collector.Hosting;

namespace Netoops.Collector.Tests.Support;

/// <summary>A real collector on loopback ephemeral ports with a fresh SQLite file (or a given database).</summary>
public sealed class TestCollector : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "netoops-collector-" + Guid.NewGuid().ToString("N")[..8]);

    private TestCollector() { }

    public RunningCollector Running { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public static async Task<TestCollector> StartAsync(Func<CollectorOptions, CollectorOptions>? configure = null, string? database = null)
    {
        var test = new TestCollector();
        var options = new CollectorOptions
        {
            Netoops = new IPEndPoint(IPAddress.Loopback, 0),
            Netconsole = new IPEndPoint(IPAddress.Loopback, 0),
            Http = new IPEndPoint(IPAddress.Loopback, 0),
            Database = database ?? $"sqlite:{test._dir}/netoops.db",
            DumpTimeout = TimeSpan.FromSeconds(1),
            // Every test sends from 127.0.0.1: one host as the budget sees it. Tests of the budget set it.
            HostCrashesPerMinute = 0,
            HostCrashBytesPerMinute = 0,
        };
        options = configure?.Invoke(options) ?? options;
        test.Running = await CollectorHost.StartAsync(options, configureLogging: l => l.SetMinimumLevel(LogLevel.Warning));
        test.Http = new HttpClient { BaseAddress = test.Running.HttpUri };
        return test;
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Polls until <paramref name="condition"/> holds (ingest is asynchronous), failing after the timeout.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, TimeSpan? timeout = null, string what = "condition")
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what} did not hold in time");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Running.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
