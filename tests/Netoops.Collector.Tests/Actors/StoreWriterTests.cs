using Akka.Actor;
using Akka.TestKit.Xunit2;
using Netoops.Collector.Actors;
using Netoops.Collector.Metrics;
using Netoops.Collector.Storage;
using Netoops.Collector.Tests.Support;

namespace Netoops.Collector.Tests.Actors;

public sealed class StoreWriterTests : TestKit, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "netoops-writer-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly CollectorMetrics _metrics = new();

    [Fact]
    public async Task A_crash_larger_than_the_queue_memory_bound_is_dropped_and_counted_and_a_small_one_stored()
    {
        var store = await CrashStore.OpenAsync(StoreLocation.Parse($"sqlite:{_dir}/netoops.db"));
        var writer = Sys.ActorOf(Props.Create(() => new StoreWriter(store, _metrics,
            new StoreWriter.Settings(500, 1000, new RetentionPolicy(null, null), TimeSpan.FromHours(1), 64 * 1024))));
        var huge = Crashes.Record() with { LogText = new string('x', 40_000) };

        writer.Tell(new StoreCrash(huge));
        writer.Tell(new StoreCrash(Crashes.Record()));
        writer.Tell(Flush.Instance);

        ExpectMsg<Flushed>(TimeSpan.FromSeconds(30)); // the default 3 s ran out once on a loaded 2-core machine
        Assert.Equal(1, _metrics.StoreDropped.Value);
        Assert.Equal(1, await store.CountCrashesAsync());
    }

    public new void Dispose()
    {
        base.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
