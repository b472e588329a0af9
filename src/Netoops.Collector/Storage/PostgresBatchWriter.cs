using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Netoops.Collector.Storage;

/// <summary>
/// PostgreSQL is a server: each statement round trip, not the rows, is what costs. A batch is
/// written as whole columns (arrays unnested server-side) in two <see cref="NpgsqlBatch"/>es:
/// hosts, buckets and new crash ids in the first; crashes and labels in the second; then the
/// commit — three round trips for the whole batch, whatever its size.
/// </summary>
internal sealed class PostgresBatchWriter : IBatchWriter
{
    private const string Hosts = """
        INSERT INTO hosts(address, first_seen, last_seen, crash_count)
        SELECT * FROM unnest(@key::text[], @first::bigint[], @last::bigint[], @n::bigint[])
        ON CONFLICT(address) DO UPDATE SET
            first_seen = LEAST(hosts.first_seen, excluded.first_seen),
            last_seen = GREATEST(hosts.last_seen, excluded.last_seen),
            crash_count = hosts.crash_count + excluded.crash_count
        RETURNING id, address
        """;

    private const string Buckets = """
        INSERT INTO buckets(bucket_key, first_seen, last_seen, crash_count, title, kind)
        SELECT * FROM unnest(@key::text[], @first::bigint[], @last::bigint[], @n::bigint[], @title::text[], @kind::text[])
        ON CONFLICT(bucket_key) DO UPDATE SET
            first_seen = LEAST(buckets.first_seen, excluded.first_seen),
            last_seen = GREATEST(buckets.last_seen, excluded.last_seen),
            crash_count = buckets.crash_count + excluded.crash_count
        RETURNING id, bucket_key
        """;

    /// <summary>Ids are taken up front so that labels can reference their crash in the same round trip.</summary>
    private const string NewIds = "SELECT nextval(pg_get_serial_sequence('crashes', 'id')) FROM generate_series(1, @n)";

    private const string Labels = """
        INSERT INTO crash_labels(crash_id, key, value) SELECT * FROM unnest(@crash::bigint[], @key::text[], @value::text[])
        """;

    /// <summary>The PostgreSQL type of each of <see cref="CrashSql.Columns"/>, as the migration declares it.</summary>
    private static readonly NpgsqlDbType[] ColumnTypes = CrashSql.Columns.Select(c => c switch
    {
        "bucket_id" or "host_id" or "received_at" or "stored_at" or "boot_id" => NpgsqlDbType.Bigint,
        "dump_id" or "dump_type" or "cpu_vendor" or "cpu_family" or "cpu_model" or "cpu_stepping" or "complete" or "packet_count" or "authenticated" => NpgsqlDbType.Integer,
        _ => NpgsqlDbType.Text,
    }).ToArray();

    private static readonly string InsertCrashes =
        $"INSERT INTO crashes(id, {string.Join(", ", CrashSql.Columns)}) SELECT * FROM unnest(@id::bigint[], "
        + string.Join(", ", CrashSql.Columns.Select((c, i) => $"@{c}::{(ColumnTypes[i] == NpgsqlDbType.Text ? "text" : ColumnTypes[i] == NpgsqlDbType.Bigint ? "bigint" : "integer")}[]"))
        + ")";

    public IReadOnlyList<long> Write(DbConnection connection, DbTransaction tx, BatchRows rows)
    {
        var pg = (NpgsqlConnection)connection;
        var hostIds = new Dictionary<string, long>(StringComparer.Ordinal);
        var bucketIds = new Dictionary<string, long>(StringComparer.Ordinal);
        var ids = new List<long>(rows.Crashes.Count);
        using (var first = new NpgsqlBatch(pg, (NpgsqlTransaction)tx))
        {
            first.BatchCommands.Add(Command(Hosts, GroupColumns(rows.Hosts, withTitle: false)));
            first.BatchCommands.Add(Command(Buckets, GroupColumns(rows.Buckets, withTitle: true)));
            first.BatchCommands.Add(Command(NewIds, ("n", rows.Crashes.Count, NpgsqlDbType.Integer)));
            using var reader = first.ExecuteReader();
            while (reader.Read()) hostIds[reader.GetString(1)] = reader.GetInt64(0);
            reader.NextResult();
            while (reader.Read()) bucketIds[reader.GetString(1)] = reader.GetInt64(0);
            reader.NextResult();
            while (reader.Read()) ids.Add(reader.GetInt64(0));
        }
        ids.Sort(); // batch order gets ascending ids, as one-by-one inserts would have given

        var columns = new object?[CrashSql.Columns.Length][];
        for (var col = 0; col < columns.Length; col++) columns[col] = new object?[rows.Crashes.Count];
        var labelCrash = new List<long>();
        var labelKey = new List<string>();
        var labelValue = new List<string>();
        for (var i = 0; i < rows.Crashes.Count; i++)
        {
            var c = rows.Crashes[i];
            var values = CrashSql.Values(c, bucketIds[rows.BucketKeys[i]], hostIds[rows.HostKeys[i]], rows.StoredAt);
            for (var col = 0; col < values.Length; col++) columns[col][i] = values[col];
            foreach (var (key, value) in c.Labels)
            {
                labelCrash.Add(ids[i]);
                labelKey.Add(key);
                labelValue.Add(value);
            }
        }
        using (var second = new NpgsqlBatch(pg, (NpgsqlTransaction)tx))
        {
            var crashParameters = new List<(string, object, NpgsqlDbType)> { ("id", ids.ToArray(), NpgsqlDbType.Bigint | NpgsqlDbType.Array) };
            for (var col = 0; col < columns.Length; col++)
                crashParameters.Add((CrashSql.Columns[col], Typed(columns[col], ColumnTypes[col]), ColumnTypes[col] | NpgsqlDbType.Array));
            second.BatchCommands.Add(Command(InsertCrashes, [.. crashParameters]));
            if (labelCrash.Count > 0)
                second.BatchCommands.Add(Command(Labels,
                    ("crash", labelCrash.ToArray(), NpgsqlDbType.Bigint | NpgsqlDbType.Array),
                    ("key", labelKey.ToArray(), NpgsqlDbType.Text | NpgsqlDbType.Array),
                    ("value", labelValue.ToArray(), NpgsqlDbType.Text | NpgsqlDbType.Array)));
            second.ExecuteNonQuery();
        }
        return ids;
    }

    private static (string, object, NpgsqlDbType)[] GroupColumns(IReadOnlyList<BatchRows.Group> groups, bool withTitle)
    {
        var columns = new List<(string, object, NpgsqlDbType)>
        {
            ("key", groups.Select(g => g.Key).ToArray(), NpgsqlDbType.Text | NpgsqlDbType.Array),
            ("first", groups.Select(g => g.FirstSeen).ToArray(), NpgsqlDbType.Bigint | NpgsqlDbType.Array),
            ("last", groups.Select(g => g.LastSeen).ToArray(), NpgsqlDbType.Bigint | NpgsqlDbType.Array),
            ("n", groups.Select(g => g.Crashes).ToArray(), NpgsqlDbType.Bigint | NpgsqlDbType.Array),
        };
        if (withTitle)
        {
            columns.Add(("title", groups.Select(g => g.Title).ToArray(), NpgsqlDbType.Text | NpgsqlDbType.Array));
            columns.Add(("kind", groups.Select(g => g.Kind).ToArray(), NpgsqlDbType.Text | NpgsqlDbType.Array));
        }
        return [.. columns];
    }

    /// <summary>A column of boxed values as the typed array Npgsql sends (nulls kept).</summary>
    private static object Typed(object?[] values, NpgsqlDbType type) => type switch
    {
        NpgsqlDbType.Bigint => values.Select(v => v is null ? (long?)null : Convert.ToInt64(v)).ToArray(),
        NpgsqlDbType.Integer => values.Select(v => v is null ? (int?)null : Convert.ToInt32(v)).ToArray(),
        _ => values.Select(v => (string?)v).ToArray(),
    };

    private static NpgsqlBatchCommand Command(string sql, params (string Name, object Value, NpgsqlDbType Type)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value, type) in parameters)
            command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        return command;
    }
}
