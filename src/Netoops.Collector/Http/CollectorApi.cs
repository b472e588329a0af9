using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Netoops.Collector.Actors;
using Netoops.Collector.Metrics;
using Netoops.Collector.Netconsole;
using Netoops.Collector.Storage;

namespace Netoops.Collector.Http;

/// <summary>
/// The read-only JSON API and `/metrics`. Every answer is JSON with snake_case names; errors are
/// `{"error": "..."}` with 400 (bad query) or 404 (no such id).
/// </summary>
public static class CollectorApi
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
    };

    public static IEndpointRouteBuilder MapCollectorApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");

        api.MapGet("/buckets", async (HttpRequest request, CrashStore store, CancellationToken ct) =>
        {
            var filter = BucketFilterQuery.Parse(request.Query, out var error);
            if (error is not null) return Error(400, error);
            return Results.Json(new { buckets = await store.QueryBucketsAsync(filter, ct) }, Json);
        });

        api.MapGet("/buckets/{id:long}", async (long id, CrashStore store, CancellationToken ct) =>
            await store.GetBucketAsync(id, ct) is { } bucket ? Results.Json(bucket, Json) : Error(404, $"no bucket {id}"));

        api.MapGet("/crashes", async (HttpRequest request, CrashStore store, CancellationToken ct) =>
        {
            var filter = BucketFilterQuery.Parse(request.Query, out var error);
            long? bucket = null;
            if (request.Query["bucket"].LastOrDefault() is { Length: > 0 } b)
            {
                if (long.TryParse(b, out var id)) bucket = id;
                else error ??= $"bucket must be a bucket id, got '{b}'";
            }
            if (error is not null) return Error(400, error);
            return Results.Json(new { crash_ids = await store.QueryCrashIdsAsync(filter, bucket, ct) }, Json);
        });

        api.MapGet("/crashes/{id:long}", async (long id, CrashStore store, CancellationToken ct) =>
            await store.GetCrashAsync(id, ct) is { } crash ? Results.Json(crash, Json) : Error(404, $"no crash {id}"));

        api.MapGet("/hosts", async (CrashStore store, NetconsoleTails tails, HostCrashBudget budget, CancellationToken ct) =>
            Results.Json(new { hosts = HostView.Merge(await store.QueryHostsAsync(ct), tails.Streams(), budget) }, Json));

        api.MapGet("/hosts/{address}/tail", (string address, NetconsoleTails tails) =>
            Results.Json(new { host = address, lines = tails.Snapshot(address) }, Json));

        app.MapGet("/metrics", (CollectorMetrics metrics) =>
            Results.Text(metrics.RenderPrometheus(), "text/plain; version=0.0.4; charset=utf-8"));

        app.MapGet("/healthz", () => Results.Text("ok\n"));
        return app;
    }

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, Json, statusCode: status);
}
