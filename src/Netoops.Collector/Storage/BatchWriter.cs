using System.Data.Common;
using System.Text.Json;

namespace Netoops.Collector.Storage;

/// <summary>
/// Writes crashes inside one transaction, reusing its three prepared statements for every row:
/// upsert the host, upsert the bucket (both bump counters and widen first/last seen), insert the
/// crash and its user-blob labels.
/// </summary>
internal sealed class BatchWriter : IAsyncDisposable
{
    private readonly DbCommand _host, _bucket, _crash, _label;

    public BatchWriter(DbConnection connection, DbTransaction tx, SqlDialect d)
    {
        _host = Command(connection, tx, $"""
            INSERT INTO hosts(address, first_seen, last_seen, crash_count) VALUES (@address, @t, @t, 1)
            ON CONFLICT(address) DO UPDATE SET
                first_seen = {d.Least("hosts.first_seen", "excluded.first_seen")},
                last_seen = {d.Greatest("hosts.last_seen", "excluded.last_seen")},
                crash_count = hosts.crash_count + 1
            RETURNING id
            """, "@address", "@t");
        _bucket = Command(connection, tx, $"""
            INSERT INTO buckets(bucket_key, title, kind, first_seen, last_seen, crash_count) VALUES (@key, @title, @kind, @t, @t, 1)
            ON CONFLICT(bucket_key) DO UPDATE SET
                first_seen = {d.Least("buckets.first_seen", "excluded.first_seen")},
                last_seen = {d.Greatest("buckets.last_seen", "excluded.last_seen")},
                crash_count = buckets.crash_count + 1
            RETURNING id
            """, "@key", "@title", "@kind", "@t");
        _crash = Command(connection, tx, """
            INSERT INTO crashes(bucket_id, host_id, origin, source, received_at, stored_at, kind, title, kernel,
                boot_id, dump_id, dump_type, cpu_vendor, cpu_family, cpu_model, cpu_stepping,
                hardware, board, bios, user_blob, registers, complete, packet_count, missing, report, log_text)
            VALUES (@bucket, @host, @origin, @source, @received, @stored, @kind, @title, @kernel,
                @boot, @dump, @type, @vendor, @family, @model, @stepping,
                @hardware, @board, @bios, @blob, @registers, @complete, @packets, @missing, @report, @text)
            RETURNING id
            """, "@bucket", "@host", "@origin", "@source", "@received", "@stored", "@kind", "@title", "@kernel",
            "@boot", "@dump", "@type", "@vendor", "@family", "@model", "@stepping",
            "@hardware", "@board", "@bios", "@blob", "@registers", "@complete", "@packets", "@missing", "@report", "@text");
        _label = Command(connection, tx,
            "INSERT INTO crash_labels(crash_id, key, value) VALUES (@crash, @key, @value)", "@crash", "@key", "@value");
    }

    public async Task<long> WriteAsync(CrashRecord c, long storedAt, CancellationToken ct)
    {
        var received = c.ReceivedAt.ToUnixTimeMilliseconds();
        var hostId = await Scalar(_host, ct, Clean(c.HostAddress), received);
        var bucketId = await Scalar(_bucket, ct, Clean(c.BucketKey), Clean(c.Title), Clean(c.Kind), received);
        var crashId = await Scalar(_crash, ct, bucketId, hostId, c.Origin, Clean(c.Source), received, storedAt,
            Clean(c.Kind), Clean(c.Title), Clean(c.Kernel),
            c.BootId is { } b ? (long)b : null, c.DumpId is { } di ? (int)di : null, c.DumpType is { } dt ? (int)dt : null,
            c.Cpu?.Vendor, c.Cpu?.Family, c.Cpu?.Model, c.Cpu?.Stepping,
            Clean(c.Machine.Hardware), Clean(c.Machine.Board), Clean(c.Machine.Bios), Clean(c.UserBlob),
            CrashStore.RegistersJson(c.Registers), c.Complete ? 1 : 0, c.PacketCount,
            JsonSerializer.Serialize(c.Missing), Clean(c.Report), Clean(c.LogText));
        foreach (var (key, value) in UserBlobLabels.Parse(Clean(c.UserBlob)))
        {
            Bind(_label, crashId, key, value);
            await _label.ExecuteNonQueryAsync(ct);
        }
        return crashId;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _bucket.DisposeAsync();
        await _crash.DisposeAsync();
        await _label.DisposeAsync();
    }

    /// <summary>PostgreSQL refuses NUL in text; crash text from the wire may carry one, SQLite would keep it. Make both store the same.</summary>
    private static string Clean(string text) => text.Contains('\0') ? text.Replace("\0", "") : text;

    private static DbCommand Command(DbConnection connection, DbTransaction tx, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in names) command.AddParameter(name, null);
        return command;
    }

    private static void Bind(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    private static async Task<long> Scalar(DbCommand command, CancellationToken ct, params object?[] values)
    {
        Bind(command, values);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    }
}
