using Netoops.Actors.Ports;

namespace Netoops.Chaos.Tests.Harness;

/// <summary>A link source that never speaks: the schedule tells the notifier its events directly.</summary>
public sealed class QuietLinkSource : ILinkEventSource
{
    public IDisposable Start(Action<LinkEvent> onEvent, Action<Exception> onFailure) => new Nothing();

    private sealed class Nothing : IDisposable
    {
        public void Dispose() { }
    }
}
