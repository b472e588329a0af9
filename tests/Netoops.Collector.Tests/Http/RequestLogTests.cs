using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Netoops.Collector.Hosting;

namespace Netoops.Collector.Tests.Http;

/// <summary>Requests are logged at Debug, one short line each, and not at all at Information.</summary>
public sealed class RequestLogTests
{
    private sealed class Capture : ILoggerProvider
    {
        public readonly ConcurrentQueue<(string Category, LogLevel Level, string Text)> Lines = new();
        public ILogger CreateLogger(string category) => new Logger(this, category);
        public void Dispose() { }

        private sealed class Logger(Capture owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel level) => true;
            public void Log<TState>(LogLevel level, EventId id, TState state, Exception? e, Func<TState, Exception?, string> format) =>
                owner.Lines.Enqueue((category, level, format(state, e)));
        }
    }

    private static async Task<List<(string Category, LogLevel Level, string Text)>> LinesOfRequests(LogLevel minimum)
    {
        var capture = new Capture();
        var dir = Path.Combine(Path.GetTempPath(), "netoops-requestlog-" + Guid.NewGuid().ToString("N")[..8]);
        var options = new CollectorOptions
        {
            Netoops = new IPEndPoint(IPAddress.Loopback, 0), Netconsole = new IPEndPoint(IPAddress.Loopback, 0),
            Http = new IPEndPoint(IPAddress.Loopback, 0), Database = $"sqlite:{dir}/netoops.db",
        };
        await using (var running = await CollectorHost.StartAsync(options, configureLogging: l => l.AddProvider(capture).SetMinimumLevel(minimum)))
        {
            using var http = new HttpClient { BaseAddress = running.HttpUri };
            for (int i = 0; i < 20; i++)
                (await http.GetAsync("/api/buckets?limit=5")).Dispose();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, recursive: true);
        return capture.Lines.Where(l => l.Text.Contains("/api/buckets")).ToList();
    }

    [Fact]
    public async Task At_information_a_request_leaves_no_line()
    {
        Assert.Empty(await LinesOfRequests(LogLevel.Information));
    }

    [Fact]
    public async Task At_debug_each_request_leaves_one_short_line()
    {
        var lines = await LinesOfRequests(LogLevel.Debug);
        Assert.Equal(20, lines.Count);
        Assert.All(lines, l => Assert.Equal(LogLevel.Debug, l.Level));
        Assert.All(lines, l => Assert.Matches(@"^GET /api/buckets\?limit=5 200 [0-9.]+ ms$", l.Text));
    }
}
