using System.Data.Common;

namespace Netoops.Collector.Storage;

/// <summary>
/// Versioned schema. Each migration runs once, in order, inside a transaction, and is recorded in
/// `schema_migrations`; a released migration is never edited, only followed by a new one.
/// Times are unix milliseconds (BIGINT) in both engines so that queries are identical.
/// </summary>
public static class Migrations
{
    public sealed record Migration(int Version, string Name, Func<SqlDialect, string> Sql);

    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "hosts, buckets, crashes, labels", d => $"""
            CREATE TABLE hosts (
                id {d.IdColumn},
                address TEXT NOT NULL UNIQUE,
                first_seen BIGINT NOT NULL,
                last_seen BIGINT NOT NULL,
                crash_count BIGINT NOT NULL DEFAULT 0
            );
            CREATE TABLE buckets (
                id {d.IdColumn},
                bucket_key TEXT NOT NULL UNIQUE,
                title TEXT NOT NULL,
                kind TEXT NOT NULL,
                first_seen BIGINT NOT NULL,
                last_seen BIGINT NOT NULL,
                crash_count BIGINT NOT NULL DEFAULT 0
            );
            CREATE TABLE crashes (
                id {d.IdColumn},
                bucket_id BIGINT NOT NULL REFERENCES buckets(id),
                host_id BIGINT NOT NULL REFERENCES hosts(id),
                origin TEXT NOT NULL,
                source TEXT NOT NULL,
                received_at BIGINT NOT NULL,
                stored_at BIGINT NOT NULL,
                kind TEXT NOT NULL,
                title TEXT NOT NULL,
                kernel TEXT NOT NULL,
                boot_id BIGINT,
                dump_id INTEGER,
                dump_type INTEGER,
                cpu_vendor INTEGER,
                cpu_family INTEGER,
                cpu_model INTEGER,
                cpu_stepping INTEGER,
                hardware TEXT NOT NULL,
                board TEXT NOT NULL,
                bios TEXT NOT NULL,
                user_blob TEXT NOT NULL,
                registers TEXT NOT NULL,
                complete INTEGER NOT NULL,
                packet_count INTEGER,
                missing TEXT NOT NULL,
                report TEXT NOT NULL,
                log_text TEXT NOT NULL
            );
            CREATE INDEX crashes_bucket_time ON crashes(bucket_id, received_at);
            CREATE INDEX crashes_time ON crashes(received_at);
            CREATE INDEX crashes_host ON crashes(host_id);
            CREATE TABLE crash_labels (
                crash_id BIGINT NOT NULL REFERENCES crashes(id) ON DELETE CASCADE,
                key TEXT NOT NULL,
                value TEXT NOT NULL,
                PRIMARY KEY (crash_id, key)
            );
            CREATE INDEX crash_labels_key_value ON crash_labels(key, value);
            """),
        // 'analysis' (the text was analysed) or 'fingerprint' (counted as an occurrence of a report
        // analysed moments before, text not kept: CrashRecord.AnalysedBy).
        new(2, "crashes.analysed_by", _ => "ALTER TABLE crashes ADD COLUMN analysed_by TEXT NOT NULL DEFAULT 'analysis'"),
        // 1 when every packet of the dump carried a valid fleet-key tag (Ingest.SenderAuth).
        new(3, "crashes.authenticated", _ => "ALTER TABLE crashes ADD COLUMN authenticated INTEGER NOT NULL DEFAULT 0"),
    ];

    public static int Latest => All[^1].Version;

    /// <summary>Brings the schema up to <see cref="Latest"/>; returns the versions applied now.</summary>
    public static async Task<IReadOnlyList<int>> ApplyAsync(DbConnection connection, SqlDialect dialect, CancellationToken ct)
    {
        await Execute(connection, null,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)", ct);
        var applied = new HashSet<int>();
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT version FROM schema_migrations";
            await using var reader = await read.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) applied.Add(Convert.ToInt32(reader.GetValue(0)));
        }
        if (applied.Count > 0 && applied.Max() > Latest)
            throw new InvalidOperationException(
                $"the database schema is version {applied.Max()}, newer than this collector knows ({Latest}); upgrade the collector");

        var now = new List<int>();
        foreach (var migration in All.Where(m => !applied.Contains(m.Version)))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            await Execute(connection, tx, migration.Sql(dialect), ct);
            await using (var record = connection.CreateCommand())
            {
                record.Transaction = tx;
                record.CommandText = "INSERT INTO schema_migrations(version, name, applied_at) VALUES (@v, @n, @t)";
                record.AddParameter("@v", migration.Version);
                record.AddParameter("@n", migration.Name);
                record.AddParameter("@t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                await record.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            now.Add(migration.Version);
        }
        return now;
    }

    private static async Task Execute(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }
}
