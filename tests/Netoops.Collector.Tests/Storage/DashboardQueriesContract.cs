using Netoops.Collector.Storage;
using Netoops.Collector.Tests.Support;

namespace Netoops.Collector.Tests.Storage;

/// <summary>The queries behind the dashboard's sparklines and filter menus, on both engines.</summary>
public abstract class DashboardQueriesContract
{
    protected abstract Task<StoreLocation> NewLocationAsync();

    private async Task<CrashStore> OpenAsync() => await CrashStore.OpenAsync(await NewLocationAsync());

    private static async Task<long> BucketId(CrashStore store, string kind) =>
        (await store.QueryBucketsAsync(new BucketFilter { Kind = kind })).Single().Id;

    [Fact]
    public async Task Trends_count_each_buckets_crashes_per_slot_with_empty_slots_as_zero()
    {
        var store = await OpenAsync();
        await store.WriteAsync([
            Crashes.Record("oops:a", minutes: 5), Crashes.Record("oops:a", minutes: 10), Crashes.Record("oops:a", minutes: 130),
            Crashes.Record("warn:b", minutes: 65),
            Crashes.Record("oops:a", minutes: 200), // after the window
        ]);
        var a = await BucketId(store, "oops");
        var b = await BucketId(store, "warn");

        var trends = await store.QueryTrendsAsync(new BucketFilter(), [a, b], new TrendWindow(Crashes.T0, TimeSpan.FromHours(1), 3));

        Assert.Equal([a, b], trends.Select(t => t.BucketId));
        Assert.Equal([2L, 0, 1], trends[0].Counts);
        Assert.Equal([0L, 1, 0], trends[1].Counts);
    }

    [Fact]
    public async Task Trends_count_only_crashes_matching_the_filter()
    {
        var store = await OpenAsync();
        await store.WriteAsync([
            Crashes.Record("oops:a", host: "10.0.0.1", minutes: 1), Crashes.Record("oops:a", host: "10.0.0.2", minutes: 2),
            Crashes.Record("oops:a", host: "10.0.0.2", minutes: 70),
        ]);
        var a = await BucketId(store, "oops");

        var trend = Assert.Single(await store.QueryTrendsAsync(new BucketFilter { Host = "10.0.0.2" }, [a],
            new TrendWindow(Crashes.T0, TimeSpan.FromHours(1), 2)));

        Assert.Equal([1L, 1], trend.Counts);
    }

    [Fact]
    public async Task A_bucket_without_crashes_in_the_window_has_a_flat_trend()
    {
        var store = await OpenAsync();
        await store.WriteAsync([Crashes.Record("oops:a", minutes: 0)]);

        var trend = Assert.Single(await store.QueryTrendsAsync(new BucketFilter(), [await BucketId(store, "oops")],
            new TrendWindow(Crashes.T0.AddDays(1), TimeSpan.FromHours(1), 4)));

        Assert.Equal([0L, 0, 0, 0], trend.Counts);
    }

    [Fact]
    public async Task Facets_list_filter_values_most_frequent_first()
    {
        var store = await OpenAsync();
        await store.WriteAsync([
            Crashes.Record("oops:a", host: "10.0.0.1", kernel: "6.1.0", blob: "rack=b12", cpu: new CpuIdentity(2, 25, 1, 1)),
            Crashes.Record("oops:a", host: "10.0.0.2", kernel: "6.12.0", blob: "rack=b12 role=db"),
            Crashes.Record("warn:b", host: "10.0.0.2", kernel: "6.12.0", hardware: "Dell Inc. PowerEdge R640"),
        ]);

        var facets = await store.QueryFacetsAsync();

        Assert.Equal([new CountBy("6.12.0", 2), new CountBy("6.1.0", 1)], facets.Kernels);
        Assert.Equal([new CountBy("10.0.0.2", 2), new CountBy("10.0.0.1", 1)], facets.Hosts);
        Assert.Equal([new CountBy("oops", 2), new CountBy("warn", 1)], facets.Kinds);
        Assert.Equal([new CountBy("rack=b12", 2), new CountBy("role=db", 1)], facets.Labels);
        Assert.Equal([new CpuFacet(0, "Intel", 6, 85, 2), new CpuFacet(2, "AMD", 25, 1, 1)], facets.Cpus);
        Assert.Equal("QEMU Standard PC (i440FX + PIIX, 1996)", facets.Hardware[0].Value);
    }

    [Fact]
    public async Task Bucket_detail_breaks_counts_down_by_bios_beside_hardware()
    {
        var store = await OpenAsync();
        await store.WriteAsync([Crashes.Record("oops:a"), Crashes.Record("oops:a"), Crashes.Record("oops:a", hardware: "Dell Inc. PowerEdge R640")]);

        var bucket = (await store.GetBucketAsync(await BucketId(store, "oops")))!;

        Assert.Equal([new CountBy("BIOS 1.16.2-debian-1.16.2-1 04/01/2014", 3)], bucket.ByBios);
        Assert.Equal(2, bucket.ByHardware.Count);
    }

    [Fact]
    public void A_trend_window_splits_a_span_into_whole_second_slots_and_caps_the_point_count()
    {
        var window = TrendWindow.Spanning(Crashes.T0, Crashes.T0.AddHours(24), 48);
        Assert.Equal(TimeSpan.FromMinutes(30), window.Step);
        Assert.Equal(Crashes.T0.AddHours(24), window.End);

        Assert.Equal(TrendWindow.MaxPoints, TrendWindow.Spanning(Crashes.T0, Crashes.T0.AddDays(1), 100_000).Points);
        Assert.Equal(TimeSpan.FromSeconds(1), TrendWindow.Spanning(Crashes.T0, Crashes.T0, 10).Step);
    }
}

public sealed class SqliteDashboardQueriesTests : DashboardQueriesContract, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "netoops-sqlite-" + Guid.NewGuid().ToString("N")[..8]);

    protected override Task<StoreLocation> NewLocationAsync() =>
        Task.FromResult(StoreLocation.Parse($"sqlite:{_dir}/{Guid.NewGuid():N}/netoops.db"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}

public sealed class PostgresDashboardQueriesTests(PostgresServer server) : DashboardQueriesContract, IClassFixture<PostgresServer>
{
    protected override async Task<StoreLocation> NewLocationAsync() => StoreLocation.Parse(await server.CreateDatabaseAsync());
}
