using Akka.Actor;
using Akka.Event;
using Netoops.Actors.Ports;

namespace Netoops.Actors.Netdev;

/// <summary>Subscribe an actor (a targets subsystem) to every link event. Reply: <see cref="SubscribedToLinkEvents"/>.</summary>
public sealed record SubscribeToLinkEvents(IActorRef Subscriber);

public sealed record SubscribedToLinkEvents(IActorRef Subscriber);

/// <summary>Published on the event stream when the link listener died; the notifier restarts it.</summary>
public sealed record LinkListenerFailed(string Error);

/// <summary>
/// The netdev notifier chain: turns the link event source (rtnetlink) into messages for the
/// subsystems. It only forwards. Unlike the kernel notifier before patch 4 it never does a
/// target's cleanup: each target cleans up in its own mailbox. Events also arrive as plain
/// <see cref="LinkEvent"/> messages, so a test can play the kernel.
/// </summary>
public sealed class NetdevNotifier : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(1);
    private readonly ILinkEventSource _source;
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IDisposable? _listening;

    public NetdevNotifier(ILinkEventSource source, IEnumerable<IActorRef>? subscribers = null)
    {
        _source = source;
        foreach (var s in subscribers ?? []) _subscribers.Add(s);

        Receive<SubscribeToLinkEvents>(m =>
        {
            _subscribers.Add(m.Subscriber);
            Sender.Tell(new SubscribedToLinkEvents(m.Subscriber));
        });
        Receive<LinkEvent>(e =>
        {
            foreach (var s in _subscribers) s.Tell(e, Self);
        });
        Receive<ListenerDied>(died =>
        {
            _log.Error("link event listener failed: {0}; restarting in {1}", died.Error, RestartDelay);
            Context.System.EventStream.Publish(new LinkListenerFailed(died.Error));
            _listening?.Dispose();
            _listening = null;
            Timers.StartSingleTimer("restart", new StartListening(), RestartDelay);
        });
        Receive<StartListening>(_ => Listen());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ILinkEventSource source, IEnumerable<IActorRef>? subscribers = null) =>
        Akka.Actor.Props.Create(() => new NetdevNotifier(source, subscribers));

    protected override void PreStart() => Listen();

    protected override void PostStop() => _listening?.Dispose();

    private void Listen()
    {
        var self = Self;
        try
        {
            // The source calls back on its own thread; the only thing done there is a Tell.
            _listening = _source.Start(e => self.Tell(e), ex => self.Tell(new ListenerDied(ex.Message)));
        }
        catch (Exception ex)
        {
            self.Tell(new ListenerDied(ex.Message));
        }
    }

    private sealed record StartListening;

    private sealed record ListenerDied(string Error);
}
