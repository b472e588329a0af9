namespace Netoops.Collector.Storage;

/// <summary>Crash counts per bucket in equal time slots: the sparklines of the buckets list.</summary>
public sealed record TrendWindow(DateTimeOffset Start, TimeSpan Step, int Points)
{
    /// <summary>Most slots a window may have: a sparkline wider than this says nothing more.</summary>
    public const int MaxPoints = 500;

    public DateTimeOffset End => Start + Step * Points;

    /// <summary>Splits [start, end) into <paramref name="points"/> slots of whole seconds (at least one second each).</summary>
    public static TrendWindow Spanning(DateTimeOffset start, DateTimeOffset end, int points)
    {
        points = Math.Clamp(points, 1, MaxPoints);
        var span = Math.Max((end - start).TotalSeconds, 1);
        var step = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(span / points)));
        return new TrendWindow(start, step, points);
    }
}

public sealed record BucketTrend(long BucketId, IReadOnlyList<long> Counts);

public sealed partial class CrashStore
{
    /// <summary>
    /// For each asked bucket, the crashes matching <paramref name="filter"/> in each slot of
    /// <paramref name="window"/> (empty slots count 0). Buckets with no crash there get all zeros.
    /// </summary>
    public async Task<IReadOnlyList<BucketTrend>> QueryTrendsAsync(BucketFilter filter, IReadOnlyList<long> bucketIds,
        TrendWindow window, CancellationToken ct = default)
    {
        var counts = bucketIds.Distinct().ToDictionary(id => id, _ => new long[window.Points]);
        if (counts.Count == 0) return [];
        await using var connection = await _dialect.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        var where = FilterClause(command, filter);
        var ids = string.Join(", ", counts.Keys.Select((id, i) =>
        {
            command.AddParameter($"@b{i}", id);
            return $"@b{i}";
        }));
        var start = window.Start.ToUnixTimeMilliseconds();
        var step = (long)window.Step.TotalMilliseconds;
        command.AddParameter("@wstart", start);
        command.AddParameter("@wend", window.End.ToUnixTimeMilliseconds());
        command.AddParameter("@wstep", step);
        command.CommandText = $"""
            SELECT c.bucket_id, (c.received_at - @wstart) / @wstep AS slot, COUNT(*)
            FROM crashes c JOIN buckets b ON b.id = c.bucket_id JOIN hosts h ON h.id = c.host_id
            {(where.Length == 0 ? "WHERE" : where + " AND")} c.bucket_id IN ({ids}) AND c.received_at >= @wstart AND c.received_at < @wend
            GROUP BY c.bucket_id, slot
            """;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var slot = reader.Int64(1);
            if (counts.TryGetValue(reader.Int64(0), out var series) && slot >= 0 && slot < series.Length)
                series[slot] = reader.Int64(2);
        }
        return bucketIds.Distinct().Select(id => new BucketTrend(id, counts[id])).ToList();
    }
}
