namespace Netoops.Actors.Ports;

/// <summary>
/// Where link events come from. The real one listens on rtnetlink; tests push events by hand.
/// </summary>
public interface ILinkEventSource
{
    /// <summary>
    /// Starts delivering events to <paramref name="onEvent"/> (from a thread of the source's
    /// choosing; the notifier only forwards them to its own mailbox). Dispose the result to stop.
    /// <paramref name="onFailure"/> reports a listener that died, so the notifier can say so.
    /// </summary>
    IDisposable Start(Action<LinkEvent> onEvent, Action<Exception> onFailure);
}
