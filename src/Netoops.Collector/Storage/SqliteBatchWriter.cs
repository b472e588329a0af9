using System.Data.Common;

namespace Netoops.Collector.Storage;

/// <summary>
/// SQLite runs in-process, so a statement costs no round trip: one prepared statement per table,
/// re-bound for every row. Hosts and buckets are upserted once per batch (their counts bumped by
/// the batch's count), then the crashes and their labels reference the ids that came back.
/// </summary>
internal sealed class SqliteBatchWriter(SqlDialect d) : IBatchWriter
{
    private readonly string _host = $"""
        INSERT INTO hosts(address, first_seen, last_seen, crash_count) VALUES (@key, @first, @last, @n)
        ON CONFLICT(address) DO UPDATE SET
            first_seen = {d.Least("hosts.first_seen", "excluded.first_seen")},
            last_seen = {d.Greatest("hosts.last_seen", "excluded.last_seen")},
            crash_count = hosts.crash_count + excluded.crash_count
        RETURNING id
        """;

    private readonly string _bucket = $"""
        INSERT INTO buckets(bucket_key, title, kind, first_seen, last_seen, crash_count) VALUES (@key, @title, @kind, @first, @last, @n)
        ON CONFLICT(bucket_key) DO UPDATE SET
            first_seen = {d.Least("buckets.first_seen", "excluded.first_seen")},
            last_seen = {d.Greatest("buckets.last_seen", "excluded.last_seen")},
            crash_count = buckets.crash_count + excluded.crash_count
        RETURNING id
        """;

    public IReadOnlyList<long> Write(DbConnection connection, DbTransaction tx, BatchRows rows)
    {
        var hostIds = Upsert(connection, tx, _host, rows.Hosts, withTitle: false);
        var bucketIds = Upsert(connection, tx, _bucket, rows.Buckets, withTitle: true);
        using var crash = Command(connection, tx, CrashSql.InsertOne, CrashSql.Parameters);
        using var label = Command(connection, tx,
            "INSERT INTO crash_labels(crash_id, key, value) VALUES (@crash, @key, @value)", "@crash", "@key", "@value");
        var ids = new List<long>(rows.Crashes.Count);
        for (var i = 0; i < rows.Crashes.Count; i++)
        {
            var c = rows.Crashes[i];
            Bind(crash, CrashSql.Values(c, bucketIds[rows.BucketKeys[i]], hostIds[rows.HostKeys[i]], rows.StoredAt));
            var id = Convert.ToInt64(crash.ExecuteScalar());
            foreach (var (key, value) in c.Labels)
            {
                Bind(label, id, key, value);
                label.ExecuteNonQuery();
            }
            ids.Add(id);
        }
        return ids;
    }

    private static Dictionary<string, long> Upsert(DbConnection connection, DbTransaction tx, string sql,
        IReadOnlyList<BatchRows.Group> groups, bool withTitle)
    {
        using var command = withTitle
            ? Command(connection, tx, sql, "@key", "@first", "@last", "@n", "@title", "@kind")
            : Command(connection, tx, sql, "@key", "@first", "@last", "@n");
        var ids = new Dictionary<string, long>(groups.Count, StringComparer.Ordinal);
        foreach (var g in groups)
        {
            if (withTitle) Bind(command, g.Key, g.FirstSeen, g.LastSeen, g.Crashes, g.Title, g.Kind);
            else Bind(command, g.Key, g.FirstSeen, g.LastSeen, g.Crashes);
            ids[g.Key] = Convert.ToInt64(command.ExecuteScalar());
        }
        return ids;
    }

    private static DbCommand Command(DbConnection connection, DbTransaction tx, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in names) command.AddParameter(name, null);
        command.Prepare();
        return command;
    }

    private static void Bind(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
