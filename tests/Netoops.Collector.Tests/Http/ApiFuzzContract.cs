using System.Net;
using System.Text;
using Netoops.Collector.Tests.Support;

namespace Netoops.Collector.Tests.Http;

/// <summary>
/// No query string gives a 5xx: out-of-range times, NULs, huge numbers and junk get a 400 that
/// names the parameter, on either database.
/// </summary>
public abstract class ApiFuzzContract
{
    protected abstract Task<TestCollector> StartAsync();

    private static readonly string[] Paths =
    [
        "/api/buckets", "/api/buckets/1", "/api/crashes", "/api/crashes/1", "/api/hosts", "/api/hosts/127.0.0.1/tail",
        "/api/trends", "/api/facets", "/metrics", "/healthz", "/", "/buckets/1", "/crashes/1",
    ];

    private static readonly string[] Names =
    [
        "from", "to", "kernel", "cpu_vendor", "cpu_family", "cpu_model", "hardware", "board", "bios", "host", "blob",
        "kind", "q", "limit", "offset", "bucket", "ids", "points",
    ];

    private static readonly string[] Values =
    [
        "99999999999999999", "-99999999999999999", "9223372036854775807", "-9223372036854775808", "0", "-1", "1e309",
        "%00", "a%00b", "%FF%FE", "%C0%80", "'; DROP TABLE crashes; --", "%25", "", "0001-01-01T00:00:00Z",
        "9999-12-31T23:59:59Z", "2026-02-30T00:00:00Z", "1,2,,3", "1,-2", "NaN", "%E2%80%AE", "key=", "=value",
        "%0A%0D", "\\", "%5C%00",
    ];

    [Theory]
    [InlineData("/api/buckets")]
    [InlineData("/api/crashes")]
    [InlineData("/api/trends")]
    public async Task A_time_beyond_any_calendar_is_a_400_naming_from(string path)
    {
        await using var collector = await StartAsync();
        using var response = await collector.Http.GetAsync(path + "?from=99999999999999999");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("from", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_nul_in_a_search_is_a_400_naming_q()
    {
        await using var collector = await StartAsync();
        using var response = await collector.Http.GetAsync("/api/buckets?q=%00");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("q", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Random_query_strings_on_every_endpoint_never_give_a_5xx()
    {
        await using var collector = await StartAsync();
        await Senders.SendAsync(collector.Running.NetoopsEndPoint, Senders.Slice(KernelLogs.WithWarn(bootLines: 10)).Packets);
        var random = new Random(16);
        var failures = new List<string>();
        for (int i = 0; i < 600; i++)
        {
            var query = new StringBuilder();
            for (int n = random.Next(1, 4); n > 0; n--)
                query.Append(query.Length == 0 ? '?' : '&')
                    .Append(random.Next(10) == 0 ? "x" + random.Next(100) : Names[random.Next(Names.Length)])
                    .Append('=').Append(Values[random.Next(Values.Length)]);
            var url = Paths[random.Next(Paths.Length)] + query;
            using var response = await collector.Http.GetAsync(url);
            if ((int)response.StatusCode >= 500)
                failures.Add($"{(int)response.StatusCode} {url}");
        }
        Assert.Empty(failures);
    }
}

public sealed class SqliteApiFuzzTests : ApiFuzzContract
{
    protected override Task<TestCollector> StartAsync() => TestCollector.StartAsync();
}

public sealed class PostgresApiFuzzTests(PostgresServer server) : ApiFuzzContract, IClassFixture<PostgresServer>
{
    protected override async Task<TestCollector> StartAsync() => await TestCollector.StartAsync(database: await server.CreateDatabaseAsync());
}
