namespace Netoops.Actors.Ports;

/// <summary>
/// A target's open transport: a UDP socket bound to its device and local address, aimed at the
/// remote. Owned by exactly one target actor, which is the only caller.
/// </summary>
public interface IDatagramChannel
{
    /// <summary>Sends one datagram without blocking on the network; failure is a result, not a throw.</summary>
    SendResult Send(ReadOnlySpan<byte> datagram);

    /// <summary>Releases the socket. The owner calls this exactly once, as its cleanup.</summary>
    Task CloseAsync();
}

/// <param name="WouldBlock">The socket's send buffer is full (EAGAIN): nothing sent, try again shortly.</param>
public readonly record struct SendResult(bool Ok, string? Error = null, bool WouldBlock = false)
{
    public static readonly SendResult Sent = new(true);
    public static readonly SendResult Full = new(false, "send buffer full", WouldBlock: true);
    public static SendResult Failed(string error) => new(false, error);
}
