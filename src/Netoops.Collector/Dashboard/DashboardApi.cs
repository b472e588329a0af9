using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Netoops.Collector.Http;
using Netoops.Collector.Storage;

namespace Netoops.Collector.Dashboard;

/// <summary>
/// API answers the dashboard draws from, besides the collector's own: sparkline series for many
/// buckets in one request, and the values each filter can take.
/// </summary>
public static class DashboardApi
{
    public const int MaxTrendBuckets = 1000;

    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder app)
    {
        // GET /api/trends?ids=1,2,3&from=…&to=…&points=48 plus any bucket filter: crashes per slot per bucket.
        app.MapGet("/api/trends", async (HttpRequest request, CrashStore store, CancellationToken ct) =>
        {
            var filter = BucketFilterQuery.Parse(request.Query, out var error);
            var ids = ParseIds(request.Query["ids"].LastOrDefault(), ref error);
            var points = 48;
            if (request.Query["points"].LastOrDefault() is { Length: > 0 } p
                && !(int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out points) && points is >= 1 and <= TrendWindow.MaxPoints))
                error ??= $"points must be a whole number from 1 to {TrendWindow.MaxPoints}, got '{p}'";
            if (error is not null) return Error(error);
            var to = filter.To ?? DateTimeOffset.UtcNow;
            var from = filter.From ?? to.AddDays(-1);
            if (from >= to) return Error("from must be before to");
            var window = TrendWindow.Spanning(from, to, points);
            var trends = await store.QueryTrendsAsync(filter, ids, window, ct);
            return Results.Json(new { start = window.Start, step_seconds = (long)window.Step.TotalSeconds, points = window.Points, trends },
                CollectorApi.Json);
        });

        app.MapGet("/api/facets", async (CrashStore store, CancellationToken ct) =>
            Results.Json(await store.QueryFacetsAsync(ct), CollectorApi.Json));
        return app;
    }

    private static List<long> ParseIds(string? text, ref string? error)
    {
        var ids = new List<long>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) ids.Add(id);
            else { error ??= $"ids must be bucket ids separated by commas, got '{part}'"; return ids; }
        }
        if (ids.Count == 0) error ??= "ids must name at least one bucket";
        else if (ids.Count > MaxTrendBuckets) error ??= $"ids may name at most {MaxTrendBuckets} buckets, got {ids.Count}";
        return ids;
    }

    private static IResult Error(string message) => Results.Json(new { error = message }, CollectorApi.Json, statusCode: 400);
}
