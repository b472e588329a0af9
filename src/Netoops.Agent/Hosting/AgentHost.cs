using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Netoops.Actors.Dumps;
using Netoops.Actors.Linux;
using Netoops.Actors.Netconsole;
using Netoops.Actors.Netdev;
using Netoops.Actors.Subsystems;
using Netoops.Agent.Dumps;
using Netoops.Agent.Kmsg;
using Netoops.Agent.Machine;
using Netoops.Agent.Management;
using Netoops.Agent.Pstore;
using Netoops.Agent.Spool;
using Netoops.Protocol.Packets;
using Netoops.Protocol.Targets;

namespace Netoops.Agent.Hosting;

/// <summary>Marker types for the actor registry.</summary>
public sealed class KmsgActorKey;
public sealed class DumpDeskKey;
public sealed class NetoopsSubsystemKey;
public sealed class NetconsoleSubsystemKey;
public sealed class StreamerKey;

/// <summary>
/// Composes the agent: Generic Host (systemd notify, journald-friendly console logs), Akka.Hosting
/// with the actor tree of ARCHITECTURE.md, the kmsg reader thread, the pstore harvest at start,
/// and Kestrel serving the management API on a Unix socket (and metrics on an optional TCP port).
/// </summary>
public static class AgentHost
{
    /// <summary>Runs until SIGTERM/SIGINT or <paramref name="ct"/>.</summary>
    public static async Task RunAsync(AgentOptions options, CancellationToken ct)
    {
        if (options.HeapLimitMiB > 0)
        {
            // Must precede the allocations of start-up: the runtime re-reads this setting on refresh.
            AppContext.SetData("GCHeapHardLimit", (ulong)options.HeapLimitMiB * 1024 * 1024);
            GC.RefreshMemoryLimit();
        }
        await using var app = Build(options);
        await app.StartAsync(ct);
        await app.WaitForShutdownAsync(ct);
    }

    public static WebApplication Build(AgentOptions options)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("the agent reads /dev/kmsg, pstore and rtnetlink: Linux only");
        var bootNetoops = ParseTargets(options.Netoops, TargetDefaults.Netoops, "--netoops");
        var bootNetconsole = ParseTargets(options.Netconsole, TargetDefaults.Netconsole, "--netconsole");
        var facts = ReadFacts(options);
        Directory.CreateDirectory(options.StateDir);
        PrepareSocket(options.Socket);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // The agent's settings come from AgentConfiguration. The host's own appsettings sources must
            // neither depend on the working directory nor watch it: a reloadable source puts a recursive
            // inotify watch on the content root, which wakes the agent whenever anything under it changes.
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        // One line per management request would drown the crash lines that matter.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSystemd(); // READY=1 once started; journald priority prefixes when run by systemd
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenUnixSocket(options.Socket);
            if (options.MetricsPort is { } port) kestrel.ListenLocalhost(port);
        });

        var counters = new AgentCounters();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(counters);
        builder.Services.AddSingleton(new MachineFactsProvider(facts));
        builder.Services.AddSingleton<IAgentControl>(sp =>
        {
            var registry = sp.GetRequiredService<ActorRegistry>();
            return new ActorAgentControl(
                new Dictionary<string, IActorRef>
                {
                    ["netoops"] = registry.Get<NetoopsSubsystemKey>(),
                    ["netconsole"] = registry.Get<NetconsoleSubsystemKey>(),
                },
                registry.Get<KmsgActorKey>(), registry.Get<DumpDeskKey>(), registry.Get<StreamerKey>(), counters);
        });

        builder.Services.AddAkka("netoops-agent", (akka, sp) =>
        {
            akka.ConfigureLoggers(loggers => loggers.AddLoggerFactory());
            akka.WithActors((system, registry, _) =>
            {
                var netpoll = new LinuxNetpoll();
                var netoops = system.ActorOf(TargetsSubsystem.Props(SubsystemOptions.Netoops(netpoll, bootNetoops)), "netoops");
                var netconsole = system.ActorOf(TargetsSubsystem.Props(SubsystemOptions.Netconsole(netpoll, bootNetconsole)), "netconsole");
                system.ActorOf(NetdevNotifier.Props(new RtnetlinkLinkEvents(), [netoops, netconsole]), "netdev-notifier");

                var coordinatorOptions = DumpCoordinatorOptions.For(netoops, facts.KernelRelease);
                coordinatorOptions = coordinatorOptions with
                {
                    Policy = coordinatorOptions.Policy with { MinInterval = TimeSpan.FromSeconds(options.DumpRateLimitSeconds) },
                    DumpIds = new DumpIdFile(Path.Combine(options.StateDir, "dump-ids")),
                    FleetKey = options.KeyFile is null ? null : PacketTag.LoadKey(options.KeyFile),
                };
                var coordinator = system.ActorOf(DumpCoordinator.Props(coordinatorOptions), "dump-coordinator");
                var streamerOptions = NetconsoleStreamerOptions.For(netconsole, facts.KernelRelease) with
                {
                    OopsOnly = options.NetconsoleOopsOnly,
                    RatePerSecond = options.NetconsoleRatePerSecond,
                    Burst = options.NetconsoleBurst,
                };
                var streamer = system.ActorOf(NetconsoleStreamer.Props(streamerOptions), "netconsole-streamer");

                var spool = new DumpSpool(Path.Combine(options.StateDir, "spool"), options.SpoolMaxDumps, options.SpoolMaxBytes);
                var dumps = system.ActorOf(DumpDesk.Props(coordinator, spool, sp.GetRequiredService<MachineFactsProvider>(), counters), "dumps");
                var kmsg = system.ActorOf(KmsgActor.Props(options.LogRingBytes, dumps, [streamer], counters), "kmsg");

                registry.Register<NetoopsSubsystemKey>(netoops);
                registry.Register<NetconsoleSubsystemKey>(netconsole);
                registry.Register<DumpDeskKey>(dumps);
                registry.Register<KmsgActorKey>(kmsg);
                registry.Register<StreamerKey>(streamer);

                // The netoops settings start as configured, else as this machine's defaults (replies unneeded).
                netoops.Tell(new WriteSetting("boot_id", (options.BootId ?? facts.BootId).ToString()), ActorRefs.Nobody);
                netoops.Tell(new WriteSetting("user_blob", options.UserBlob ?? facts.UserBlob), ActorRefs.Nobody);
                netoops.Tell(new WriteSetting("record_oom", options.RecordOom ? "1" : "0"), ActorRefs.Nobody);
            });
        });
        builder.Services.AddHostedService<AnalysisWarmup>();
        builder.Services.AddHostedService<KmsgReaderService>();
        builder.Services.AddHostedService<PstoreHarvestService>();

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            // The TCP port serves metrics only: the configuration API stays behind the socket's 0600.
            if (context.Connection.LocalPort != 0 && context.Request.Path != "/metrics")
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await next();
        });
        app.MapManagementApi();
        app.MapMetrics();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            if (OperatingSystem.IsLinux())
                File.SetUnixFileMode(options.Socket, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        });
        return app;
    }

    private static IReadOnlyList<Netoops.Actors.Targets.TargetAttributes> ParseTargets(string? parameter, TargetDefaults defaults, string option)
    {
        if (string.IsNullOrWhiteSpace(parameter)) return [];
        return BootTargets.TryParse(parameter.Trim(), defaults, out var targets, out var error)
            ? targets
            : throw new AgentConfigurationException([$"{option}: {error}"]);
    }

    private static MachineFacts ReadFacts(AgentOptions options) => MachineFacts.Read(options.MachineRoot);

    /// <summary>The socket's directory is private (0700) so that nobody can reach the socket before it is chmod'ed; a stale socket file from a killed run is removed.</summary>
    private static void PrepareSocket(string socket)
    {
        if (!OperatingSystem.IsLinux()) return;
        var directory = Path.GetDirectoryName(Path.GetFullPath(socket))!;
        if (!Directory.Exists(directory))
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (File.Exists(socket)) File.Delete(socket);
    }
}
