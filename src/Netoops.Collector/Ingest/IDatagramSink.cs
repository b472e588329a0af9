namespace Netoops.Collector.Ingest;

/// <summary>
/// Consumes datagrams on the receive loop's own thread. The memory is the loop's reusable batch:
/// it is valid only during the call, so a sink copies what it keeps, and must not block.
/// </summary>
public interface IDatagramSink
{
    /// <summary>Returns null when the datagram was used, or the error kind (a stable snake_case code) it was refused for.</summary>
    string? OnDatagram(ReadOnlyMemory<byte> datagram, in SourceAddress source);

    /// <summary>Called when no datagram arrived for a while, on the loop thread: a chance to flush time-based state.</summary>
    void OnIdle();

    /// <summary>Called after each batch of datagrams (up to one recvmmsg's worth): a chance to flush per-batch work.</summary>
    void OnBatchEnd() { }
}
