using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Netoops.Collector.Metrics;

namespace Netoops.Collector.Ingest;

/// <summary>
/// One UDP socket and the dedicated thread that drains it into a sink: one reusable buffer and
/// one reusable <see cref="SocketAddress"/>, so receiving allocates nothing per datagram. The
/// allowlist and the per-source rate limit are applied before the sink sees a datagram.
/// </summary>
public sealed class UdpReceiver : IDisposable
{
    /// <summary>Largest UDP payload; netoops packets are 1412 bytes, netconsole ≤ 1000 + header.</summary>
    private const int MaxDatagram = 65_536;
    private const int SoRcvBufForce = 33;
    private static readonly TimeSpan IdleTick = TimeSpan.FromMilliseconds(200);

    private readonly Socket _socket;
    private readonly IDatagramSink _sink;
    private readonly IngestMetrics _metrics;
    private readonly SourceAllowlist _allowlist;
    private readonly SourceRateLimiter _limiter;
    private readonly Thread _thread;
    private volatile bool _stopping;

    public UdpReceiver(IPEndPoint bind, int receiveBufferBytes, SourceAllowlist allowlist, SourceRateLimiter limiter,
        IDatagramSink sink, IngestMetrics metrics, ILogger logger)
    {
        _sink = sink;
        _metrics = metrics;
        _allowlist = allowlist;
        _limiter = limiter;
        _socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            EffectiveReceiveBuffer = SetReceiveBuffer(_socket, receiveBufferBytes);
            _socket.ReceiveTimeout = (int)IdleTick.TotalMilliseconds;
            _socket.Bind(bind);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        metrics.ReceiveBufferBytes.Set(EffectiveReceiveBuffer);
        metrics.KernelDropped = KernelDrops.For(_socket);
        logger.LogInformation("{Channel} listening on udp {Endpoint}, receive buffer {Effective} bytes (asked {Asked}), allowing {Allow}",
            metrics.Channel, LocalEndPoint, EffectiveReceiveBuffer, receiveBufferBytes, allowlist.Description);
        _thread = new Thread(Run) { IsBackground = true, Name = $"udp-{metrics.Channel}" };
        _thread.Start();
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>What the kernel granted (Linux reports twice the asked size: it counts its bookkeeping).</summary>
    public int EffectiveReceiveBuffer { get; }

    /// <summary>
    /// SO_RCVBUFFORCE (root or CAP_NET_ADMIN) goes past net.core.rmem_max; without the
    /// privilege fall back to SO_RCVBUF, which the kernel silently caps.
    /// </summary>
    private static int SetReceiveBuffer(Socket socket, int bytes)
    {
        try { socket.SetRawSocketOption((int)SocketOptionLevel.Socket, SoRcvBufForce, BitConverter.GetBytes(bytes)); }
        catch (SocketException) { socket.ReceiveBufferSize = bytes; }
        return socket.ReceiveBufferSize;
    }

    private void Run()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagram, pinned: true);
        var from = new SocketAddress(_socket.AddressFamily);
        while (!_stopping)
        {
            int length;
            try
            {
                length = _socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                _sink.OnIdle();
                continue;
            }
            catch (Exception) when (_stopping) { break; }
            catch (SocketException) { continue; } // e.g. ICMP-induced errors: the socket stays usable
            catch (ObjectDisposedException) { break; }
            Deliver(buffer.AsMemory(0, length), SourceAddress.From(from));
        }
    }

    private void Deliver(ReadOnlyMemory<byte> datagram, in SourceAddress source)
    {
        _metrics.Received.Increment();
        _metrics.Bytes.Add(datagram.Length);
        if (!_allowlist.Allows(source)) { _metrics.NotAllowed.Increment(); return; }
        if (!_limiter.TryTake(source)) { _metrics.RateLimited.Increment(); return; }
        if (_sink.OnDatagram(datagram, source) is { } refused) _metrics.Invalid[refused].Increment();
        else _metrics.Accepted.Increment();
    }

    public void Dispose()
    {
        _stopping = true;
        _socket.Dispose();
        _thread.Join(TimeSpan.FromSeconds(5));
    }
}
