using System.Net;
using Akka.Actor;
using Akka.Hosting;
using Akka.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Netoops.Collector.Actors;
using Netoops.Collector.Analysis;
using Netoops.Collector.Dashboard;
using Netoops.Collector.Dumps;
using Netoops.Collector.Http;
using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;
using Netoops.Collector.Netconsole;
using Netoops.Collector.Storage;
using Netoops.Protocol.Packets;

namespace Netoops.Collector.Hosting;

/// <summary>
/// Starts a collector in-process: store (migrated), actor system, HTTP API on Kestrel, then the
/// UDP receive loops last, so that no datagram arrives before something can take it.
/// </summary>
public static class CollectorHost
{
    private static SenderAuth? SenderAuthOf(CollectorOptions options) =>
        options.FleetKey is null && options.RequireSigned.Count == 0 ? null : new SenderAuth(options.FleetKey, new SourceAllowlist(options.RequireSigned));

    /// <summary>Distinct reports remembered for a storm's fold: far more bugs than strike at once.</summary>
    private const int RecentAnalysesCapacity = 4096;

    /// <param name="configureHttp">Adds more endpoints (the dashboard) to the HTTP host.</param>
    /// <param name="configureLogging">Defaults to console logging at Information.</param>
    public static async Task<RunningCollector> StartAsync(CollectorOptions options,
        Action<WebApplication>? configureHttp = null, Action<ILoggingBuilder>? configureLogging = null, CancellationToken ct = default)
    {
        var store = await CrashStore.OpenAsync(StoreLocation.Parse(options.Database), ct);
        var metrics = new CollectorMetrics();
        var tails = new NetconsoleTails(options.TailLinesPerHost, options.MaxSessions);
        var allowlist = new SourceAllowlist(options.Allow);

        DumpShards? dumpShards = null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (configureLogging is null) builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information);
        else configureLogging(builder.Logging);
        // ASP.NET Core logs every request twice at Information (~680 bytes a request: 6 MB for 8,854
        // requests under load). Those go; RequestLog writes one short line per request at Debug.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(options.Http));
        var hostBudget = new HostCrashBudget(options.HostCrashesPerMinute, options.HostCrashBytesPerMinute, untracked: metrics.StoreCrashesUntracked);
        builder.Services.AddSingleton(store).AddSingleton(metrics).AddSingleton(tails).AddSingleton(hostBudget);
        builder.Services.AddSingleton<ICrashAnalyzer>(new LinuxCrashAnalyzer(metrics));
        builder.Services.AddAkka("netoops-collector", (akka, services) =>
        {
            akka.ConfigureLoggers(l => l.LogLevel = Akka.Event.LogLevel.WarningLevel);
            akka.AddHocon("akka.log-dead-letters = off", HoconAddMode.Prepend);
            akka.AddHocon(BackgroundWork.DispatcherHocon(options.DumpAnalysts + 1), HoconAddMode.Prepend);
            akka.WithActors((system, registry, _) =>
            {
                var writer = system.ActorOf(Props.Create(() => new StoreWriter(store, metrics, new StoreWriter.Settings(
                    options.StoreBatchSize, options.StoreQueueCapacity,
                    new RetentionPolicy(options.RetentionMaxAge, options.RetentionMaxCrashes), TimeSpan.FromHours(1), options.StoreQueueBytes, hostBudget))), "store");
                registry.Register<StoreWriter>(writer);
                var recent = options.StormFoldHorizon > TimeSpan.Zero ? new RecentAnalyses(options.StormFoldHorizon, RecentAnalysesCapacity) : null;
                var backlog = new AnalysisBacklog(options.AnalysisBacklogBytes, metrics);
                var analysts = system.ActorOf(DumpAnalyst.Props(services.GetRequiredService<ICrashAnalyzer>(), writer, metrics, backlog, recent)
                    .WithDispatcher(BackgroundWork.Dispatcher)
                    .WithRouter(new RoundRobinPool(options.DumpAnalysts).WithDispatcher(BackgroundWork.Dispatcher)), "netoops-analysts");
                var shardSettings = new DumpShard.Settings(options.DumpTimeout, options.MaxPendingBytesPerSource,
                    options.MaxPendingBytes / options.DumpShards, PacketLimits.Default);
                dumpShards = DumpShards.Start(options.DumpShards,
                    (inbox, i) => system.ActorOf(DumpShard.Props(shardSettings, metrics, analysts, backlog, inbox, recent is null ? null : new StormFold(recent, writer)), $"netoops-dumps-{i}"));
                var analyst = system.ActorOf(StreamCrashAnalyst.Props(services.GetRequiredService<ICrashAnalyzer>(), writer, metrics)
                    .WithDispatcher(BackgroundWork.Dispatcher), "netconsole-crashes");
                registry.Register<StreamCrashAnalyst>(analyst);
            });
        });

        var app = builder.Build();
        app.UseRequestLog();
        app.MapCollectorApi();
        app.MapDashboard();
        configureHttp?.Invoke(app);
        await app.StartAsync(ct);

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Netoops.Collector");
        var registry = app.Services.GetRequiredService<ActorRegistry>();
        var writer = await registry.GetAsync<StoreWriter>(ct);
        var analyst = await registry.GetAsync<StreamCrashAnalyst>(ct);
        UdpReceiver? netoops = null, netconsole = null;
        try
        {
            netoops = new UdpReceiver(options.Netoops, options.ReceiveBufferBytes, allowlist,
                new SourceRateLimiter(options.RatePerSource, options.BurstPerSource),
                new NetoopsSink(dumpShards!, PacketLimits.Default, metrics, SenderAuthOf(options)), metrics.Netoops, logger);
            var sessionSettings = new NetconsoleSession.Settings(options.ContextLines, MaxReportLines: 400, ReportQuiet: TimeSpan.FromSeconds(2));
            logger.LogInformation("crash analysis warmed up in {Milliseconds} ms",
                AnalysisWarmup.Run(app.Services.GetRequiredService<ICrashAnalyzer>()).TotalMilliseconds);
            var warmup = NetconsoleWarmup.Run(sessionSettings);
            logger.LogInformation("netconsole receive path rehearsed in {Milliseconds} ms", warmup?.TotalMilliseconds);
            netconsole = new UdpReceiver(options.Netconsole, options.ReceiveBufferBytes, allowlist,
                new SourceRateLimiter(options.RatePerSource, options.BurstPerSource),
                new NetconsoleSink(sessionSettings, options.MaxSessions, TimeSpan.FromMinutes(10), metrics, tails, analyst),
                metrics.Netconsole, logger);
            var http = BoundHttp(app, options.Http);
            logger.LogInformation("storing crashes in {Database}; dashboard and API on http://{Http}/", store.Location.Display, http);
            return new RunningCollector(app, app.Services.GetRequiredService<ActorSystem>(), writer, store, metrics, netoops, netconsole, http);
        }
        catch
        {
            netoops?.Dispose();
            netconsole?.Dispose();
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            throw;
        }
    }

    private static IPEndPoint BoundHttp(WebApplication app, IPEndPoint asked)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return address is not null && Uri.TryCreate(address, UriKind.Absolute, out var uri)
            ? new IPEndPoint(asked.Address, uri.Port)
            : asked;
    }
}
