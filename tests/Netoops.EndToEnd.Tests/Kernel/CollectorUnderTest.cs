using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Netoops.Collector.Hosting;

namespace Netoops.EndToEnd.Tests.Kernel;

/// <summary>
/// The real collector, in-process, on loopback ports of its own and a SQLite file in the
/// scenario's folder (kept with the other artefacts when the scenario fails). The test reads it
/// the way a user does: through its JSON API over HTTP.
/// </summary>
public sealed class CollectorUnderTest : IAsyncDisposable
{
    /// <summary>Room for every line of two boots in the per-host tail: the test compares them all with the serial console.</summary>
    private const int TailLines = 100_000;

    private readonly RunningCollector _collector;
    private readonly HttpClient _http;
    private readonly ScenarioLog _log;

    private CollectorUnderTest(RunningCollector collector, ScenarioLog log)
    {
        _collector = collector;
        _log = log;
        _http = new HttpClient { BaseAddress = collector.HttpUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public static async Task<CollectorUnderTest> StartAsync(ScenarioLog log)
    {
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        var options = new CollectorOptions
        {
            Netoops = loopback,
            Netconsole = loopback,
            Http = loopback,
            Database = "sqlite:" + log.PathOf("collector.db"),
            TailLinesPerHost = TailLines,
        };
        // The collector's own log goes to the step log: its warnings explain a refused datagram.
        var collector = await CollectorHost.StartAsync(options,
            configureLogging: logging => logging.AddProvider(new StepLogProvider(log)).SetMinimumLevel(LogLevel.Information));
        log.Step($"collector: netoops {collector.NetoopsEndPoint}, netconsole {collector.NetconsoleEndPoint}, API {collector.HttpUri}");
        return new CollectorUnderTest(collector, log);
    }

    public int NetoopsPort => _collector.NetoopsEndPoint.Port;
    public int NetconsolePort => _collector.NetconsoleEndPoint.Port;

    /// <summary>GET /api/hosts/{host}/tail: the host's netconsole lines, oldest first.</summary>
    public async Task<IReadOnlyList<string>> TailAsync(string host)
    {
        var tail = await GetAsync($"api/hosts/{host}/tail");
        return tail.GetProperty("lines").EnumerateArray().Select(line => line.GetString()!).ToList();
    }

    /// <summary>
    /// Waits until the host's tail stops growing: after qemu exits, its last datagrams may still
    /// be in the socket or on their way through the receive loop.
    /// </summary>
    public async Task<IReadOnlyList<string>> QuietTailAsync(string host, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var lines = await TailAsync(host);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = await TailAsync(host);
            if (now.Count == lines.Count)
                return now;
            lines = now;
        }
        return lines;
    }

    /// <summary>
    /// GET /api/buckets once there are <paramref name="expected"/> buckets holding at least
    /// <paramref name="crashes"/> crashes (a netconsole panic has no end line: its report closes
    /// after a quiet spell, later than the buckets appear), or whatever is there at the limit.
    /// </summary>
    public async Task<IReadOnlyList<JsonElement>> BucketsAsync(int expected, TimeSpan limit, int crashes = 0)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            await _collector.FlushAsync(TimeSpan.FromSeconds(30));
            var buckets = (await GetAsync("api/buckets")).GetProperty("buckets").EnumerateArray().ToList();
            var stored = buckets.Sum(b => b.GetProperty("crashes").GetInt64());
            if ((buckets.Count >= expected && stored >= crashes) || DateTime.UtcNow >= deadline)
            {
                _log.Step($"collector buckets: {string.Join("; ", buckets.Select(b => $"'{b.GetProperty("title")}' × {b.GetProperty("crashes")}"))}");
                return buckets;
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>GET /api/crashes?bucket=ID, then GET /api/crashes/{id} for each.</summary>
    public async Task<IReadOnlyList<JsonElement>> CrashesAsync(JsonElement bucket)
    {
        var id = bucket.GetProperty("id").GetInt64();
        var ids = (await GetAsync($"api/crashes?bucket={id}")).GetProperty("crash_ids").EnumerateArray().Select(e => e.GetInt64());
        var crashes = new List<JsonElement>();
        foreach (var crash in ids)
            crashes.Add(await GetAsync($"api/crashes/{crash}"));
        return crashes;
    }

    /// <summary>GET /metrics: the collector's Prometheus counters, kept as an artefact.</summary>
    public async Task<PrometheusText> MetricsAsync()
    {
        var metrics = await _http.GetStringAsync("metrics");
        await File.WriteAllTextAsync(_log.PathOf("collector.metrics.txt"), metrics);
        return new PrometheusText(metrics);
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"GET /{path}: {(int)response.StatusCode} {body}");
        await File.WriteAllTextAsync(_log.PathOf($"api{ArtefactName(path)}.json"), body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Every API answer is kept as an artefact, named after its path.</summary>
    private static string ArtefactName(string path) =>
        string.Concat(path["api".Length..].Select(c => char.IsLetterOrDigit(c) || c == '.' ? c : '_'));

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _collector.DisposeAsync();
    }

    /// <summary>Hands the collector's log lines to the scenario's step log.</summary>
    private sealed class StepLogProvider(ScenarioLog log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new StepLogger(log, categoryName);
        public void Dispose() { }
    }

    private sealed class StepLogger(ScenarioLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel level) => level >= LogLevel.Information && !category.StartsWith("Microsoft.", StringComparison.Ordinal);

        public void Log<TState>(LogLevel level, EventId id, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(level))
                log.Step($"collector {level}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.Message)}");
        }
    }
}
