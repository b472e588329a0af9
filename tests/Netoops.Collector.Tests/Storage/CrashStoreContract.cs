using Netoops.Collector.Storage;
using Netoops.Collector.Tests.Support;

namespace Netoops.Collector.Tests.Storage;

/// <summary>What every storage engine must do the same way; run against SQLite and PostgreSQL.</summary>
public abstract class CrashStoreContract
{
    protected abstract Task<StoreLocation> NewLocationAsync();

    private async Task<CrashStore> OpenAsync() => await CrashStore.OpenAsync(await NewLocationAsync());

    [Fact]
    public async Task Crashes_with_one_bucket_key_share_one_bucket_counted_by_crashes_and_hosts()
    {
        var store = await OpenAsync();
        await store.WriteAsync([Crashes.Record(host: "10.0.0.1"), Crashes.Record(host: "10.0.0.2", minutes: 5), Crashes.Record(host: "10.0.0.1", minutes: 9)]);

        var bucket = Assert.Single(await store.QueryBucketsAsync(new BucketFilter()));
        Assert.Equal(3, bucket.Crashes);
        Assert.Equal(2, bucket.Hosts);
        Assert.Equal(Crashes.T0, bucket.FirstSeen);
        Assert.Equal(Crashes.T0.AddMinutes(9), bucket.LastSeen);
    }

    [Fact]
    public async Task Buckets_are_ranked_by_crash_count()
    {
        var store = await OpenAsync();
        await store.WriteAsync([Crashes.Record("bug:rare"), Crashes.Record("oops:big"), Crashes.Record("oops:big"), Crashes.Record("warn:mid"), Crashes.Record("oops:big"), Crashes.Record("warn:mid")]);

        var titles = (await store.QueryBucketsAsync(new BucketFilter())).Select(b => (b.Kind, b.Crashes));
        Assert.Equal([("oops", 3L), ("warn", 2L), ("bug", 1L)], titles);
    }

    [Fact]
    public async Task Filters_narrow_buckets_to_matching_crashes()
    {
        var store = await OpenAsync();
        await store.WriteAsync([
            Crashes.Record("oops:a", host: "10.0.0.1", kernel: "6.1.0", blob: "rack=b12 role=db", cpu: new CpuIdentity(2, 25, 1, 1), hardware: "Dell Inc. PowerEdge R640"),
            Crashes.Record("oops:a", host: "10.0.0.2", kernel: "6.12.0", minutes: 120),
            Crashes.Record("warn:b", host: "10.0.0.3", kernel: "6.1.0", blob: "rack=c01"),
        ]);

        async Task<string[]> Keys(BucketFilter f) =>
            (await store.QueryBucketsAsync(f)).Select(b => $"{b.Kind}:{b.Crashes}").ToArray();

        Assert.Equal(["oops:1", "warn:1"], await Keys(new BucketFilter { Kernel = "6.1.0" }));
        Assert.Equal(["oops:1"], await Keys(new BucketFilter { Host = "10.0.0.2" }));
        Assert.Equal(["oops:1"], await Keys(new BucketFilter { Labels = [new("rack", "b12")] }));
        Assert.Empty(await Keys(new BucketFilter { Labels = [new("rack", "b12"), new("role", "web")] }));
        Assert.Equal(["oops:1"], await Keys(new BucketFilter { CpuVendor = 2, CpuFamily = 25 }));
        Assert.Equal(["oops:1"], await Keys(new BucketFilter { Hardware = "poweredge" }));
        Assert.Equal(["oops:1"], await Keys(new BucketFilter { From = Crashes.T0.AddMinutes(60) }));
        Assert.Equal(["oops:1", "warn:1"], await Keys(new BucketFilter { To = Crashes.T0.AddMinutes(60) }));
        Assert.Equal(["warn:1"], await Keys(new BucketFilter { Kind = "warn" }));
        Assert.Equal(["warn:1"], await Keys(new BucketFilter { Search = "IN WARN:" }));
    }

    [Fact]
    public async Task Hostile_filter_text_is_matched_literally_and_never_runs_as_sql()
    {
        var store = await OpenAsync();
        await store.WriteAsync([Crashes.Record()]);

        Assert.Empty(await store.QueryBucketsAsync(new BucketFilter { Kernel = "x'; DROP TABLE crashes; --" }));
        Assert.Empty(await store.QueryBucketsAsync(new BucketFilter { Search = "%_%\\" }));
        Assert.Equal(1, await store.CountCrashesAsync());
    }

    [Fact]
    public async Task A_stored_crash_reads_back_with_registers_labels_cpu_and_missing_packets()
    {
        var store = await OpenAsync();
        var record = Crashes.Record(blob: "rack=b12 free text") with { Complete = false, PacketCount = 9, Missing = [2, 3, 7] };
        var id = Assert.Single(await store.WriteAsync([record]));

        var crash = await store.GetCrashAsync(id);
        Assert.NotNull(crash);
        Assert.Equal("0xffffffff81000000", crash.Registers["ip"]);
        Assert.Equal("b12", crash.Labels["rack"]);
        Assert.Equal("Intel", crash.Cpu!.VendorName);
        Assert.False(crash.Complete);
        Assert.Equal([2, 3, 7], crash.Missing);
        Assert.Equal(record.LogText, crash.LogText);
        Assert.Null(await store.GetCrashAsync(id + 1000));
    }

    [Fact]
    public async Task A_large_batch_returns_ascending_ids_in_batch_order_each_reading_back_its_own_crash()
    {
        var store = await OpenAsync();
        var batch = Enumerable.Range(0, 300).Select(i =>
            Crashes.Record($"oops:f{i % 7}", host: $"10.0.{i / 100}.{i % 100}", minutes: i, blob: $"n={i}") with { DumpId = (ushort)i }).ToList();

        var ids = await store.WriteAsync(batch);

        Assert.Equal(300, ids.Count);
        Assert.Equal(ids.Order(), ids);
        foreach (var i in new[] { 0, 1, 150, 299 })
        {
            var crash = (await store.GetCrashAsync(ids[i]))!;
            Assert.Equal((long)i, crash.DumpId);
            Assert.Equal($"10.0.{i / 100}.{i % 100}", crash.Host);
            Assert.Equal($"{i}", crash.Labels["n"]);
            Assert.Equal($"WARNING in oops:f{i % 7}", crash.Title);
        }
    }

    [Fact]
    public async Task Counts_and_first_last_seen_add_up_across_batches_for_the_same_bucket_and_host()
    {
        var store = await OpenAsync();
        await store.WriteAsync([Crashes.Record(minutes: 10), Crashes.Record(minutes: 20)]);
        await store.WriteAsync([Crashes.Record(minutes: 5), Crashes.Record(minutes: 30), Crashes.Record(host: "10.0.0.2", minutes: 15)]);

        var bucket = Assert.Single(await store.QueryBucketsAsync(new BucketFilter()));
        Assert.Equal((5L, 2L), (bucket.Crashes, bucket.Hosts));
        Assert.Equal((Crashes.T0.AddMinutes(5), Crashes.T0.AddMinutes(30)), (bucket.FirstSeen, bucket.LastSeen));
        var host = (await store.QueryHostsAsync()).Single(h => h.Address == "10.0.0.1");
        Assert.Equal(4, host.Crashes);
        Assert.Equal((Crashes.T0.AddMinutes(5), Crashes.T0.AddMinutes(30)), (host.FirstSeen, host.LastSeen));
        var detail = (await store.GetBucketAsync(bucket.Id))!;
        Assert.Equal((Crashes.T0.AddMinutes(5), Crashes.T0.AddMinutes(30)), (detail.FirstSeen, detail.LastSeen));
    }

    [Fact]
    public async Task Text_with_nul_bytes_and_markup_is_stored_without_the_nul()
    {
        var store = await OpenAsync();
        var id = Assert.Single(await store.WriteAsync([Crashes.Record() with { LogText = "a\0b<script>alert(1)</script>" }]));

        Assert.Equal("ab<script>alert(1)</script>", (await store.GetCrashAsync(id))!.LogText);
    }

    [Fact]
    public async Task Bucket_detail_breaks_counts_down_by_kernel_host_and_hour()
    {
        var store = await OpenAsync();
        await store.WriteAsync([
            Crashes.Record(host: "10.0.0.1", kernel: "6.1.0"), Crashes.Record(host: "10.0.0.1", kernel: "6.1.0", minutes: 10),
            Crashes.Record(host: "10.0.0.2", kernel: "6.12.0", minutes: 70),
        ]);
        var id = Assert.Single(await store.QueryBucketsAsync(new BucketFilter())).Id;

        var bucket = await store.GetBucketAsync(id);
        Assert.NotNull(bucket);
        Assert.Equal([new CountBy("6.1.0", 2), new CountBy("6.12.0", 1)], bucket.ByKernel);
        Assert.Equal([new CountBy("10.0.0.1", 2), new CountBy("10.0.0.2", 1)], bucket.ByHost);
        Assert.Equal([new TrendPoint(Crashes.T0, 2), new TrendPoint(Crashes.T0.AddHours(1), 1)], bucket.Trend);
        Assert.Equal("hour", bucket.TrendStep);
        Assert.Equal(3, bucket.RecentCrashes.Count);
        Assert.Null(await store.GetBucketAsync(id + 1000));
    }

    [Fact]
    public async Task Retention_by_count_keeps_the_newest_and_drops_emptied_buckets()
    {
        var store = await OpenAsync();
        await store.WriteAsync([Crashes.Record("old:x", minutes: 0), Crashes.Record("new:y", minutes: 1), Crashes.Record("new:y", minutes: 2)]);

        var result = await store.ApplyRetentionAsync(new RetentionPolicy(null, 2), Crashes.T0.AddDays(1));

        Assert.Equal(new RetentionResult(1, 1, 0), result);
        var bucket = Assert.Single(await store.QueryBucketsAsync(new BucketFilter()));
        Assert.Equal("new", bucket.Kind);
        Assert.Equal(2, (await store.GetBucketAsync(bucket.Id))!.Crashes);
    }

    [Fact]
    public async Task Retention_by_age_deletes_crashes_received_before_the_cut()
    {
        var store = await OpenAsync();
        await store.WriteAsync([Crashes.Record(host: "10.0.0.9", minutes: 0), Crashes.Record(minutes: 90)]);

        var result = await store.ApplyRetentionAsync(new RetentionPolicy(TimeSpan.FromHours(1), null), Crashes.T0.AddMinutes(120));

        Assert.Equal(new RetentionResult(1, 0, 1), result);
        Assert.Equal(1, await store.CountCrashesAsync());
        Assert.Equal(["10.0.0.1"], (await store.QueryHostsAsync()).Select(h => h.Address));
    }

    [Fact]
    public async Task Reopening_a_store_applies_no_migration_twice()
    {
        var location = await NewLocationAsync();
        await using (await CrashStore.OpenAsync(location)) { }
        var store = await CrashStore.OpenAsync(location);
        await store.WriteAsync([Crashes.Record()]);
        Assert.Equal(1, await store.CountCrashesAsync());
    }
}

public sealed class SqliteCrashStoreTests : CrashStoreContract, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "netoops-sqlite-" + Guid.NewGuid().ToString("N")[..8]);

    protected override Task<StoreLocation> NewLocationAsync() =>
        Task.FromResult(StoreLocation.Parse($"sqlite:{_dir}/{Guid.NewGuid():N}/netoops.db"));

    [Fact]
    public async Task The_sqlite_file_is_created_in_wal_mode()
    {
        var location = await NewLocationAsync();
        await CrashStore.OpenAsync(location);
        var path = location.Display["sqlite:".Length..];
        Assert.True(File.Exists(path));
        // A connection of our own, outside the pool: another test class's ClearAllPools may close
        // the store's pooled connections at any moment, and SQLite removes -wal and -shm with the last one.
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await pragma.ExecuteScalarAsync());
        Assert.True(File.Exists(path + "-wal") || File.Exists(path + "-shm"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}

public sealed class PostgresCrashStoreTests(PostgresServer server) : CrashStoreContract, IClassFixture<PostgresServer>
{
    protected override async Task<StoreLocation> NewLocationAsync() => StoreLocation.Parse(await server.CreateDatabaseAsync());
}
