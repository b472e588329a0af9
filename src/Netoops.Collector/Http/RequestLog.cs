using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Netoops.Collector.Http;

/// <summary>
/// One line per HTTP request at Debug ("GET /api/buckets?kind=warn 200 3.1 ms"): what an operator
/// needs to follow the API, off by default because a busy dashboard would otherwise fill the log.
/// </summary>
public static class RequestLog
{
    public static IApplicationBuilder UseRequestLog(this IApplicationBuilder app)
    {
        var log = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Netoops.Collector.Http.Requests");
        if (!log.IsEnabled(LogLevel.Debug)) return app;
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            await next(context);
            log.LogDebug("{Method} {Path}{Query} {Status} {Milliseconds:F1} ms", context.Request.Method, context.Request.Path,
                context.Request.QueryString, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });
    }
}
