using System.Net;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Netoops.Collector.Actors;
using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;
using Netoops.Collector.Storage;

namespace Netoops.Collector.Hosting;

/// <summary>A started collector: its bound addresses (real ports when 0 was asked), store and counters.</summary>
public sealed class RunningCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IReadOnlyList<UdpReceiver> _receivers;
    private int _disposed;

    internal RunningCollector(WebApplication app, ActorSystem system, IActorRef storeWriter, CrashStore store,
        CollectorMetrics metrics, UdpReceiver netoops, UdpReceiver netconsole, IPEndPoint http)
    {
        _app = app;
        System = system;
        StoreWriter = storeWriter;
        Store = store;
        Metrics = metrics;
        _receivers = [netoops, netconsole];
        NetoopsEndPoint = netoops.LocalEndPoint;
        NetconsoleEndPoint = netconsole.LocalEndPoint;
        HttpEndPoint = http;
    }

    public IPEndPoint NetoopsEndPoint { get; }
    public IPEndPoint NetconsoleEndPoint { get; }
    public IPEndPoint HttpEndPoint { get; }
    public Uri HttpUri => new($"http://{HttpEndPoint}/");
    public ActorSystem System { get; }
    public IActorRef StoreWriter { get; }
    public CrashStore Store { get; }
    public CollectorMetrics Metrics { get; }

    /// <summary>Waits until every crash queued for storage so far is committed.</summary>
    public Task FlushAsync(TimeSpan timeout) => StoreWriter.Ask<Flushed>(Flush.Instance, timeout);

    /// <summary>Runs until <paramref name="ct"/> is cancelled (Ctrl+C in the CLI), then stops.</summary>
    public async Task WaitForShutdownAsync(CancellationToken ct)
    {
        try { await Task.Delay(Timeout.Infinite, ct); }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        foreach (var receiver in _receivers) receiver.Dispose();
        // Give dumps already handed to the writer a chance to land before the actors stop.
        try { await FlushAsync(TimeSpan.FromSeconds(10)); }
        catch (Exception e) when (e is AskTimeoutException or TaskCanceledException) { }
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
