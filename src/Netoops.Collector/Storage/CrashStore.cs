using System.Data.Common;
using System.Text.Json;
using Netoops.Collector.Hosting;

namespace Netoops.Collector.Storage;

/// <summary>
/// The crash database: SQLite or PostgreSQL behind <see cref="SqlDialect"/>. Writes come in
/// batches (one transaction each) from a single writer; reads may run concurrently.
/// </summary>
public sealed partial class CrashStore : IAsyncDisposable
{
    private readonly SqlDialect _dialect;

    private CrashStore(StoreLocation location, SqlDialect dialect)
    {
        Location = location;
        _dialect = dialect;
    }

    public StoreLocation Location { get; }

    /// <summary>Opens (creating the SQLite folder and file if needed) and migrates the schema.</summary>
    public static async Task<CrashStore> OpenAsync(StoreLocation location, CancellationToken ct = default)
    {
        if (location.Engine == StoreEngine.Sqlite)
        {
            var path = location.Display["sqlite:".Length..];
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        }
        var store = new CrashStore(location, SqlDialect.For(location));
        await using var connection = await store._dialect.OpenAsync(ct);
        await Migrations.ApplyAsync(connection, store._dialect, ct);
        return store;
    }

    /// <summary>
    /// Stores a batch in one transaction; returns the new crash ids in batch order. Runs blocking
    /// calls on a thread of its own: under a flood the thread pool is busy running actors, and a
    /// write made of awaited round trips would queue behind them at every statement.
    /// </summary>
    public Task<IReadOnlyList<long>> WriteAsync(IReadOnlyList<CrashRecord> batch, CancellationToken ct = default) =>
        batch.Count == 0
            ? Task.FromResult<IReadOnlyList<long>>([])
            : Task.Factory.StartNew(() => Write(batch), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private IReadOnlyList<long> Write(IReadOnlyList<CrashRecord> batch)
    {
        BackgroundWork.LowerDedicatedThread(); // a LongRunning task's thread of its own
        var rows = new BatchRows(batch, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        using var connection = _dialect.Open();
        using var tx = connection.BeginTransaction();
        var ids = _dialect.BatchWriter.Write(connection, tx, rows);
        tx.Commit();
        return ids;
    }

    /// <summary>Deletes crashes older than the policy's age or beyond its count, then empty buckets and hosts.</summary>
    public async Task<RetentionResult> ApplyRetentionAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        long crashes = 0;
        if (policy.MaxAge is { } age)
            crashes += await ExecuteAsync(connection, tx, "DELETE FROM crashes WHERE received_at < @cut", ct,
                ("@cut", (now - age).ToUnixTimeMilliseconds()));
        if (policy.MaxCrashes is { } max)
            crashes += await DeleteBeyondNewestAsync(connection, tx, max, ct);
        long buckets = 0, hosts = 0;
        if (crashes > 0)
        {
            buckets = await ExecuteAsync(connection, tx,
                "DELETE FROM buckets WHERE NOT EXISTS (SELECT 1 FROM crashes c WHERE c.bucket_id = buckets.id)", ct);
            hosts = await ExecuteAsync(connection, tx,
                "DELETE FROM hosts WHERE NOT EXISTS (SELECT 1 FROM crashes c WHERE c.host_id = hosts.id)", ct);
            // The counters are denormalised for cheap listing; recount what retention touched.
            await ExecuteAsync(connection, tx, """
                UPDATE buckets SET
                    crash_count = (SELECT COUNT(*) FROM crashes c WHERE c.bucket_id = buckets.id),
                    first_seen = (SELECT MIN(received_at) FROM crashes c WHERE c.bucket_id = buckets.id)
                """, ct);
            await ExecuteAsync(connection, tx, """
                UPDATE hosts SET
                    crash_count = (SELECT COUNT(*) FROM crashes c WHERE c.host_id = hosts.id),
                    first_seen = (SELECT MIN(received_at) FROM crashes c WHERE c.host_id = hosts.id)
                """, ct);
        }
        await tx.CommitAsync(ct);
        return new RetentionResult(crashes, buckets, hosts);
    }

    private static async Task<long> DeleteBeyondNewestAsync(DbConnection connection, DbTransaction tx, long keep, CancellationToken ct)
    {
        // The first crash past the newest `keep` marks the cut: it and everything older goes.
        await using var find = connection.CreateCommand();
        find.Transaction = tx;
        find.CommandText = "SELECT received_at, id FROM crashes ORDER BY received_at DESC, id DESC LIMIT 1 OFFSET @keep";
        find.AddParameter("@keep", keep);
        long cutTime, cutId;
        await using (var reader = await find.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct)) return 0;
            (cutTime, cutId) = (reader.Int64(0), reader.Int64(1));
        }
        return await ExecuteAsync(connection, tx,
            "DELETE FROM crashes WHERE received_at < @time OR (received_at = @time AND id <= @id)", ct,
            ("@time", cutTime), ("@id", cutId));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static async Task<long> ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.AddParameter(name, value);
        return await command.ExecuteNonQueryAsync(ct);
    }

    internal static string RegistersJson(IReadOnlyDictionary<string, ulong> registers) =>
        JsonSerializer.Serialize(registers.ToDictionary(r => r.Key, r => r.Value.ToString("x16")));
}
