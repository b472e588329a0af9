using Netoops.Collector.Tests.Support;

namespace Netoops.Collector.Tests.EndToEnd;

/// <summary>The whole path (UDP → entities → analysis → store → API) against a real PostgreSQL server.</summary>
public sealed class PostgresCollectorTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task A_dump_lands_in_postgres_and_reads_back_through_the_api()
    {
        await using var collector = await TestCollector.StartAsync(database: await server.CreateDatabaseAsync());
        Assert.StartsWith("postgres://", collector.Running.Store.Location.Display);

        await Senders.SendAsync(collector.Running.NetoopsEndPoint, Senders.Slice(KernelLogs.WithWarn(50)).SendOrder(rounds: 3));

        await TestCollector.Eventually(async () => await collector.Running.Store.CountCrashesAsync() == 1, what: "a crash in postgres");
        var bucket = (await collector.GetJsonAsync("/api/buckets?kernel=6.1.0-56-cloud-amd64&blob=rack=b12")).GetProperty("buckets")[0];
        Assert.Equal("WARNING in provoke_warn", bucket.GetProperty("title").GetString());
        var detail = await collector.GetJsonAsync($"/api/buckets/{bucket.GetProperty("id").GetInt64()}");
        Assert.Equal("127.0.0.1", detail.GetProperty("by_host")[0].GetProperty("value").GetString());
    }
}
