using Netoops.Actors.Ports;

namespace Netoops.Actors.Tests.Doubles;

/// <summary>A link event source the test plays by hand, standing in for rtnetlink.</summary>
public sealed class ManualLinkEvents : ILinkEventSource
{
    private Action<LinkEvent>? _onEvent;
    private Action<Exception>? _onFailure;
    private int _starts;

    public int Starts => Volatile.Read(ref _starts);

    public IDisposable Start(Action<LinkEvent> onEvent, Action<Exception> onFailure)
    {
        _onEvent = onEvent;
        _onFailure = onFailure;
        Interlocked.Increment(ref _starts);
        return new Stop(this);
    }

    public void Push(LinkEvent e) => (_onEvent ?? throw new InvalidOperationException("not started"))(e);

    public void Fail(string why) => _onFailure?.Invoke(new IOException(why));

    private sealed class Stop(ManualLinkEvents owner) : IDisposable
    {
        public void Dispose() => owner._onEvent = null;
    }
}
