using Netoops.Actors.Ports;
using Netoops.Actors.Targets;

namespace Netoops.Chaos.Tests.World;

/// <summary>What the transport does with the next datagram (a fault the schedule can switch on); Full is EAGAIN.</summary>
public enum SendMode { Ok, Error, Throw, Full }

/// <summary>
/// A socket as the chaos netpoll opens it: bound to one device (by ifindex) with the target's
/// ports and remote address. Checks at every send that its target is Enabled and has not been told
/// its device is gone (I1), and at every close that it is the first (I4).
/// </summary>
public sealed class ChaosChannel(ChaosNetpoll netpoll, int id, string target, int deviceIndex, TargetAttributes opened) : IDatagramChannel
{
    private int _closeCalls;

    public int Id { get; } = id;
    public string Target { get; } = target;
    public int DeviceIndex { get; } = deviceIndex;

    /// <summary>The parameters the socket was opened with; they must not change while it is open (I2).</summary>
    public TargetAttributes Opened { get; } = opened;

    public int CloseCalls => Volatile.Read(ref _closeCalls);
    public bool CloseCompleted { get; private set; }
    public int Sent { get; private set; }

    public SendResult Send(ReadOnlySpan<byte> datagram)
    {
        var state = netpoll.Observer.StateOf(Target);
        if (state != TargetState.Enabled)
            netpoll.Violations.Add(Invariant.SendsOnlyWhileEnabled, $"target {Target} sent on socket #{Id} while {state}");
        if (CloseCalls > 0)
            netpoll.Violations.Add(Invariant.SendsOnlyWhileEnabled, $"target {Target} sent on socket #{Id} after it was closed");
        if (netpoll.StrictDeviceCheck && netpoll.World.IsDead(DeviceIndex))
            netpoll.Violations.Add(Invariant.SendsOnlyWhileEnabled, $"target {Target} sent on socket #{Id} bound to unregistered device {DeviceIndex}");
        switch (netpoll.SendMode)
        {
            case SendMode.Throw:
                throw new IOException("chaos: transport threw");
            case SendMode.Error:
                return SendResult.Failed("chaos: ENOBUFS");
            case SendMode.Full:
                return SendResult.Full;
            default:
                Sent++;
                return SendResult.Sent;
        }
    }

    public Task CloseAsync()
    {
        var calls = Interlocked.Increment(ref _closeCalls);
        netpoll.Trace.Add($"socket #{Id} ({Target}) close #{calls}");
        if (calls > 1)
        {
            netpoll.Violations.Add(Invariant.SocketClosedOnce, $"socket #{Id} of target {Target} closed {calls} times");
            return Task.CompletedTask;
        }
        return netpoll.Closing(this);
    }

    /// <summary>Called by the netpoll when the (possibly held) close has finished.</summary>
    internal void MarkClosed() => CloseCompleted = true;
}
