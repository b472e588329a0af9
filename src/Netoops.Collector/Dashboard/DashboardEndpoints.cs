using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Netoops.Collector.Dashboard;

/// <summary>
/// The dashboard on the collector's HTTP host: `/` (buckets), `/buckets/{id}`, `/crashes/{id}`,
/// their static files under `/static/`, and the two API answers only the dashboard needs
/// (`/api/trends`, `/api/facets`). Read-only: only GET is mapped.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>
    /// Scripts and styles only from our own files, data only from our own API, nothing inline, no
    /// framing, no plugins: hostile crash text that somehow became markup still could not run.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication MapDashboard(this WebApplication app)
    {
        var assets = DashboardAssets.Load();
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            await next(context);
        });

        app.MapGet("/", (HttpContext context) => Serve(context, assets.Find("buckets.html")!));
        app.MapGet("/buckets/{id:long}", (HttpContext context) => Serve(context, assets.Find("bucket.html")!));
        app.MapGet("/crashes/{id:long}", (HttpContext context) => Serve(context, assets.Find("crash.html")!));
        app.MapGet("/static/{name}", (string name, HttpContext context) =>
            assets.Find(name) is { } asset && !name.EndsWith(".html", StringComparison.Ordinal)
                ? Serve(context, asset)
                : Results.NotFound());
        app.MapDashboardApi();
        return app;
    }

    private static IResult Serve(HttpContext context, DashboardAsset asset)
    {
        // Revalidate every time (cheap with the ETag) so a new collector never serves stale script.
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag)) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(asset.Content, asset.ContentType);
    }
}
