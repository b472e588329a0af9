using System.Data.Common;
using System.Text;
using System.Text.Json;

namespace Netoops.Collector.Storage;

public sealed partial class CrashStore
{
    /// <summary>Buckets ranked by the number of crashes matching the filter.</summary>
    public async Task<IReadOnlyList<BucketSummary>> QueryBucketsAsync(BucketFilter filter, CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        var where = FilterClause(command, filter);
        command.CommandText = $"""
            SELECT b.id, b.title, b.kind, COUNT(*) AS n, COUNT(DISTINCT c.host_id), MIN(c.received_at), MAX(c.received_at)
            FROM crashes c JOIN buckets b ON b.id = c.bucket_id JOIN hosts h ON h.id = c.host_id
            {where}
            GROUP BY b.id, b.title, b.kind
            ORDER BY n DESC, b.id
            LIMIT @limit OFFSET @offset
            """;
        command.AddParameter("@limit", Math.Clamp(filter.Limit, 1, 10_000));
        command.AddParameter("@offset", Math.Max(filter.Offset, 0));
        var list = new List<BucketSummary>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            list.Add(new BucketSummary(reader.Int64(0), reader.GetString(1), reader.GetString(2), reader.Int64(3),
                reader.Int64(4), Time(reader.Int64(5)), Time(reader.Int64(6))));
        return list;
    }

    /// <summary>One bucket with its trend and breakdowns, or null when there is no such bucket.</summary>
    public async Task<BucketDetail?> GetBucketAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct);
        string key, title, kind;
        long first, last;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT bucket_key, title, kind, first_seen, last_seen FROM buckets WHERE id = @id";
            command.AddParameter("@id", id);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return null;
            (key, title, kind, first, last) = (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.Int64(3), reader.Int64(4));
        }
        // Hourly points while the bucket spans under a week, daily after that.
        var hourly = last - first < TimeSpan.FromDays(7).TotalMilliseconds;
        var step = (long)(hourly ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1)).TotalMilliseconds;
        var trend = await CountsAsync(connection, id, $"(c.received_at / {step}) * {step}", ct);
        var byHost = await CountsAsync(connection, id, "h.address", ct);
        var crashes = byHost.Sum(h => h.Count);
        return new BucketDetail(id, key, title, kind, crashes, byHost.Count, Time(first), Time(last),
            hourly ? "hour" : "day",
            trend.Select(t => new TrendPoint(Time(long.Parse(t.Value)), t.Count)).OrderBy(t => t.Start).ToList(),
            await CountsAsync(connection, id, "c.kernel", ct),
            await CountsAsync(connection, id, "c.hardware", ct),
            await CountsAsync(connection, id, "c.bios", ct),
            await CpuModelsAsync(connection, id, ct),
            byHost,
            await RecentCrashesAsync(connection, id, 100, ct));
    }

    public async Task<CrashDetail?> GetCrashAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.id, c.bucket_id, b.title, c.origin, h.address, c.source, c.received_at, c.stored_at, c.kind, c.title,
                c.kernel, c.boot_id, c.dump_id, c.dump_type, c.cpu_vendor, c.cpu_family, c.cpu_model, c.cpu_stepping,
                c.hardware, c.board, c.bios, c.user_blob, c.registers, c.complete, c.packet_count, c.missing, c.report, c.log_text, c.analysed_by, c.authenticated
            FROM crashes c JOIN buckets b ON b.id = c.bucket_id JOIN hosts h ON h.id = c.host_id
            WHERE c.id = @id
            """;
        command.AddParameter("@id", id);
        await using var r = await command.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        var cpu = r.IsDBNull(14) ? null : new CpuView((int)r.Int64(14), CpuVendors.Name((int)r.Int64(14)),
            (int)r.Int64(15), (int)r.Int64(16), (int)r.Int64(17));
        var registers = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(22)) ?? [];
        return new CrashDetail(r.Int64(0), r.Int64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
            Time(r.Int64(6)), Time(r.Int64(7)), r.GetString(8), r.GetString(9), r.GetString(10),
            r.NullableInt64(11), r.NullableInt64(12), r.NullableInt64(13), cpu,
            r.GetString(18), r.GetString(19), r.GetString(20), r.GetString(21), UserBlobLabels.Parse(r.GetString(21)),
            registers.ToDictionary(p => p.Key, p => "0x" + p.Value), r.Int64(23) != 0, r.NullableInt64(24),
            JsonSerializer.Deserialize<List<int>>(r.GetString(25)) ?? [], r.GetString(26), r.GetString(27), r.GetString(28), r.Int64(29) != 0);
    }

    /// <summary>Crash ids matching the filter, newest first (for export).</summary>
    public async Task<IReadOnlyList<long>> QueryCrashIdsAsync(BucketFilter filter, long? bucketId, CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        var where = FilterClause(command, filter);
        if (bucketId is { } b)
        {
            where += (where.Length == 0 ? "WHERE " : " AND ") + "c.bucket_id = @bucket";
            command.AddParameter("@bucket", b);
        }
        command.CommandText = $"""
            SELECT c.id FROM crashes c JOIN buckets b ON b.id = c.bucket_id JOIN hosts h ON h.id = c.host_id
            {where} ORDER BY c.received_at DESC, c.id DESC LIMIT @limit OFFSET @offset
            """;
        command.AddParameter("@limit", Math.Clamp(filter.Limit, 1, 100_000));
        command.AddParameter("@offset", Math.Max(filter.Offset, 0));
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.Int64(0));
        return ids;
    }

    public async Task<IReadOnlyList<HostSummary>> QueryHostsAsync(CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, address, first_seen, last_seen, crash_count FROM hosts ORDER BY crash_count DESC, address";
        var hosts = new List<HostSummary>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            hosts.Add(new HostSummary(r.Int64(0), r.GetString(1), Time(r.Int64(2)), Time(r.Int64(3)), r.Int64(4)));
        return hosts;
    }

    public async Task<long> CountCrashesAsync(CancellationToken ct = default)
    {
        await using var connection = await _dialect.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM crashes";
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    }

    private static async Task<List<CountBy>> CountsAsync(DbConnection connection, long bucket, string expression, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {expression} AS v, COUNT(*) AS n FROM crashes c JOIN hosts h ON h.id = c.host_id
            WHERE c.bucket_id = @id GROUP BY {expression} ORDER BY n DESC, v
            """;
        command.AddParameter("@id", bucket);
        var list = new List<CountBy>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            list.Add(new CountBy(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) ?? "", reader.Int64(1)));
        return list;
    }

    private static async Task<List<CountBy>> CpuModelsAsync(DbConnection connection, long bucket, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT cpu_vendor, cpu_family, cpu_model, COUNT(*) AS n FROM crashes
            WHERE bucket_id = @id AND cpu_vendor IS NOT NULL
            GROUP BY cpu_vendor, cpu_family, cpu_model ORDER BY n DESC
            """;
        command.AddParameter("@id", bucket);
        var list = new List<CountBy>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new CountBy($"{CpuVendors.Name((int)r.Int64(0))} family {r.Int64(1)} model {r.Int64(2)}", r.Int64(3)));
        return list;
    }

    private static async Task<List<CrashSummary>> RecentCrashesAsync(DbConnection connection, long bucket, int limit, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.id, c.received_at, h.address, c.kernel, c.hardware, c.complete, c.origin
            FROM crashes c JOIN hosts h ON h.id = c.host_id
            WHERE c.bucket_id = @id ORDER BY c.received_at DESC, c.id DESC LIMIT @limit
            """;
        command.AddParameter("@id", bucket);
        command.AddParameter("@limit", limit);
        var list = new List<CrashSummary>();
        await using var r = await command.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new CrashSummary(r.Int64(0), Time(r.Int64(1)), r.GetString(2), r.GetString(3), r.GetString(4), r.Int64(5) != 0, r.GetString(6)));
        return list;
    }

    /// <summary>Builds the WHERE clause for a filter, binding every value as a parameter (never spliced into SQL).</summary>
    private static string FilterClause(DbCommand command, BucketFilter f)
    {
        var terms = new List<string>();
        void Add(string term, string name, object value) { terms.Add(term); command.AddParameter(name, value); }
        void Contains(string column, string name, string? value)
        {
            if (!string.IsNullOrEmpty(value)) Add($"lower({column}) LIKE @{name} ESCAPE '\\'", "@" + name, "%" + EscapeLike(value.ToLowerInvariant()) + "%");
        }
        if (f.From is { } from) Add("c.received_at >= @from", "@from", from.ToUnixTimeMilliseconds());
        if (f.To is { } to) Add("c.received_at < @to", "@to", to.ToUnixTimeMilliseconds());
        if (!string.IsNullOrEmpty(f.Kernel)) Add("c.kernel = @kernel", "@kernel", f.Kernel);
        if (f.CpuVendor is { } vendor) Add("c.cpu_vendor = @vendor", "@vendor", vendor);
        if (f.CpuFamily is { } family) Add("c.cpu_family = @family", "@family", family);
        if (f.CpuModel is { } model) Add("c.cpu_model = @model", "@model", model);
        Contains("c.hardware", "hardware", f.Hardware);
        Contains("c.board", "board", f.Board);
        Contains("c.bios", "bios", f.Bios);
        if (!string.IsNullOrEmpty(f.Host)) Add("h.address = @host", "@host", f.Host);
        if (!string.IsNullOrEmpty(f.Kind)) Add("b.kind = @kind", "@kind", f.Kind);
        Contains("b.title", "search", f.Search);
        for (var i = 0; i < f.Labels.Count; i++)
        {
            terms.Add($"EXISTS (SELECT 1 FROM crash_labels l WHERE l.crash_id = c.id AND l.key = @lk{i} AND l.value = @lv{i})");
            command.AddParameter($"@lk{i}", f.Labels[i].Key);
            command.AddParameter($"@lv{i}", f.Labels[i].Value);
        }
        return terms.Count == 0 ? "" : "WHERE " + string.Join(" AND ", terms);
    }

    private static string EscapeLike(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var ch in value)
        {
            if (ch is '%' or '_' or '\\') sb.Append('\\');
            sb.Append(ch);
        }
        return sb.ToString();
    }

    private static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
}
