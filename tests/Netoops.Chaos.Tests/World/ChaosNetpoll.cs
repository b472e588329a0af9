using System.Net;
using Netoops.Actors.Ports;
using Netoops.Actors.Targets;

namespace Netoops.Chaos.Tests.World;

/// <summary>How the next setup behaves: at once, held until the schedule releases it (a slow carrier wait), failing, or throwing.</summary>
public enum SetupMode { Instant, Held, Fails, Throws }

/// <summary>How the next socket close behaves: at once, or held until released (a slow cleanup).</summary>
public enum CloseMode { Instant, Held }

/// <summary>
/// The netpoll port for chaos runs: resolves devices in the <see cref="DeviceWorld"/>, refuses bond
/// slaves, opens <see cref="ChaosChannel"/>s, and injects the faults the schedule asks for. Held
/// setups and closes complete only when the schedule releases them, so "setup slow" and "cleanup
/// slow" are steps of the schedule, replayable from the seed.
/// </summary>
public sealed class ChaosNetpoll(DeviceWorld world, LifecycleObserver observer, Violations violations, Trace trace) : INetpoll
{
    private readonly object _gate = new();
    private readonly List<ChaosChannel> _channels = [];
    private readonly List<HeldSetup> _heldSetups = [];
    private readonly List<(ChaosChannel Channel, TaskCompletionSource Done)> _heldCloses = [];
    private int _nextChannel;

    public DeviceWorld World { get; } = world;
    public LifecycleObserver Observer { get; } = observer;
    public Violations Violations { get; } = violations;
    public Trace Trace { get; } = trace;

    public SetupMode SetupMode { get; set; }
    public CloseMode CloseMode { get; set; }
    public SendMode SendMode { get; set; }

    /// <summary>
    /// Deterministic runs deliver a link event to every target before the next step, so a send on an
    /// unregistered device is a violation at once; multi-threaded runs check it at quiescence instead.
    /// </summary>
    public bool StrictDeviceCheck { get; init; }

    public IReadOnlyList<ChaosChannel> Channels
    {
        get { lock (_gate) return _channels.ToList(); }
    }

    public IEnumerable<ChaosChannel> ChannelsOf(string target) => Channels.Where(c => c.Target == target);

    public int HeldSetups
    {
        get { lock (_gate) return _heldSetups.Count; }
    }

    public int HeldCloses
    {
        get { lock (_gate) return _heldCloses.Count; }
    }

    public Task<SetupResult> SetupAsync(SetupRequest request, CancellationToken cancel)
    {
        Trace.Add($"setup {request.Target} on {request.DevName} ({SetupMode})");
        switch (SetupMode)
        {
            case SetupMode.Throws:
                throw new InvalidOperationException("chaos: netpoll threw");
            case SetupMode.Fails:
                return Task.FromResult<SetupResult>(new SetupFailed("chaos: setup failed"));
        }
        // The device is looked up now; the socket opens when setup ends. A device that vanishes in
        // between is exactly the race of an unregister during the carrier wait.
        var device = World.Find(request.DevName);
        if (device is null)
            return Task.FromResult<SetupResult>(new SetupFailed($"no device {request.DevName}"));
        if (device.Master is not null)
            return Task.FromResult<SetupResult>(new SetupFailed($"{request.DevName} is a bond slave", Busy: true));
        var found = new NetDevice(device.Index, device.Name, device.Mac);
        if (SetupMode == SetupMode.Instant)
            return Task.FromResult<SetupResult>(Open(request, found));

        // Continuations run inline on the releasing thread: deterministic runs stay on one thread.
        var held = new HeldSetup(request, found, new TaskCompletionSource<SetupResult>());
        lock (_gate) _heldSetups.Add(held);
        cancel.Register(() =>
        {
            bool removed;
            lock (_gate) removed = _heldSetups.Remove(held);
            if (removed) held.Done.TrySetCanceled();
        });
        return held.Done.Task;
    }

    /// <summary>Lets the <paramref name="pick"/>-th held setup (modulo their count) finish successfully.</summary>
    public bool ReleaseSetup(int pick)
    {
        HeldSetup held;
        lock (_gate)
        {
            if (_heldSetups.Count == 0) return false;
            held = _heldSetups[pick % _heldSetups.Count];
            _heldSetups.Remove(held);
        }
        held.Done.TrySetResult(Open(held.Request, held.Device));
        return true;
    }

    /// <summary>Lets the <paramref name="pick"/>-th held close (modulo their count) finish.</summary>
    public bool ReleaseClose(int pick)
    {
        (ChaosChannel Channel, TaskCompletionSource Done) held;
        lock (_gate)
        {
            if (_heldCloses.Count == 0) return false;
            held = _heldCloses[pick % _heldCloses.Count];
            _heldCloses.Remove(held);
        }
        held.Channel.MarkClosed();
        held.Done.TrySetResult();
        return true;
    }

    internal Task Closing(ChaosChannel channel)
    {
        if (CloseMode == CloseMode.Instant)
        {
            channel.MarkClosed();
            return Task.CompletedTask;
        }
        var done = new TaskCompletionSource();
        lock (_gate) _heldCloses.Add((channel, done));
        return done.Task;
    }

    private SetupSucceeded Open(SetupRequest request, NetDevice device)
    {
        ChaosChannel channel;
        lock (_gate)
        {
            var opened = TargetAttributes.Defaults(request.LocalPort, request.RemotePort) with { RemoteIp = request.RemoteIp };
            channel = new ChaosChannel(this, ++_nextChannel, request.Target, device.Index, opened);
            _channels.Add(channel);
        }
        Trace.Add($"socket #{channel.Id} opened for {request.Target} on device {device.Index}");
        return new SetupSucceeded(channel, device, request.LocalIp ?? IPAddress.Parse("192.0.2.1"), CarrierUp: true);
    }

    private sealed record HeldSetup(SetupRequest Request, NetDevice Device, TaskCompletionSource<SetupResult> Done);
}
