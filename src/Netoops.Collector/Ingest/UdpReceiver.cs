using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Netoops.Collector.Ingest.Native;
using Netoops.Collector.Metrics;

namespace Netoops.Collector.Ingest;

/// <summary>
/// One UDP socket and the dedicated thread that drains it into a sink, up to
/// <see cref="BatchSize"/> datagrams per recvmmsg call into one preallocated
/// <see cref="DatagramBatch"/>, so receiving allocates nothing per datagram and costs one system
/// call per batch rather than per datagram. The allowlist and the per-source rate limit are
/// applied before the sink sees a datagram.
/// </summary>
public sealed class UdpReceiver : IDisposable
{
    public const int BatchSize = 64;

    /// <summary>
    /// Room per datagram: netoops packets are 1412 bytes, netconsole datagrams at most 1000 plus a
    /// header. A longer datagram is cut by the kernel and refused as <c>oversized</c>.
    /// </summary>
    public const int MaxDatagram = 2048;

    // Linux's own numbers: .NET's SocketOptionLevel.Socket is 0xffff, which a raw option passes
    // through to setsockopt unchanged (and Linux refuses).
    private const int SolSocket = 1;
    private const int SoRcvBufForce = 33;
    private static readonly TimeSpan IdleTick = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The receive thread's nice value when the process may raise it (CAP_SYS_NICE). At 300,000
    /// datagrams a second the 16 MiB socket buffer holds about 65 ms of traffic; at equal priority
    /// the scheduler shares the core half and half with whatever else is runnable (the runtime's
    /// tiered JIT recompiling hot code, a first HTTP request, analysis), and a few hundred
    /// milliseconds of that overflowed the buffer. At -10 the receive thread gets about 90 % of a
    /// contended core, and the rest of the process still runs.
    /// </summary>
    public const int ReceiveThreadNice = -10;

    private readonly Socket _socket;
    private readonly IDatagramSink _sink;
    private readonly IngestMetrics _metrics;
    private readonly SourceAllowlist _allowlist;
    private readonly SourceRateLimiter _limiter;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private volatile bool _stopping;

    public UdpReceiver(IPEndPoint bind, int receiveBufferBytes, SourceAllowlist allowlist, SourceRateLimiter limiter,
        IDatagramSink sink, IngestMetrics metrics, ILogger logger)
    {
        _sink = sink;
        _metrics = metrics;
        _allowlist = allowlist;
        _limiter = limiter;
        _logger = logger;
        _socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            EffectiveReceiveBuffer = SetReceiveBuffer(_socket, receiveBufferBytes);
            // A blocking socket with SO_RCVTIMEO: recvmmsg waits at most this long for the first
            // datagram of a batch, so the sink still gets its idle ticks when senders are quiet.
            _socket.Blocking = true;
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
        try { socket.SetRawSocketOption(SolSocket, SoRcvBufForce, BitConverter.GetBytes(bytes)); }
        catch (SocketException) { socket.ReceiveBufferSize = bytes; }
        return socket.ReceiveBufferSize;
    }

    // The receive path is compiled fully optimised from the start (AggressiveOptimization): left
    // to tiered compilation, a loop thread that never idles was seen running its first,
    // unoptimised code for many seconds under load, at a fraction of the speed.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run()
    {
        RaisePriority();
        var batch = new DatagramBatch(BatchSize, MaxDatagram);
        // Holding a reference keeps the descriptor from being closed (and its number reused) under
        // a call in progress; Dispose stops this loop before it closes the socket.
        var handle = _socket.SafeHandle;
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var fd = (int)handle.DangerousGetHandle();
            while (!_stopping)
            {
                var count = Receive(fd, batch);
                if (count > 0) Deliver(batch, count);
                else if (count == 0) _sink.OnIdle();
                // A partial batch means the socket is drained: rather than being woken for every
                // datagram that comes next (a context switch each, which at 300,000/s costs more
                // than the datagrams), let a millisecond's worth gather and take it in full batches.
                if (count is > 0 and < BatchSize) Thread.Sleep(1);
            }
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private void RaisePriority()
    {
        if (ThreadNice.TrySet(ReceiveThreadNice))
            _logger.LogInformation("{Channel} receive thread runs at nice {Nice}", _metrics.Channel, ReceiveThreadNice);
        else
            _logger.LogInformation("{Channel} receive thread runs at normal priority: raising it needs CAP_SYS_NICE", _metrics.Channel);
        _metrics.ReceiveThreadNice.Set(ThreadNice.Current() ?? 0);
    }

    /// <summary>Datagrams received into the batch; 0 when the idle tick passed with none; -1 to try again.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe int Receive(int fd, DatagramBatch batch)
    {
        batch.PrepareReceive(BatchSize);
        var count = MessageSyscalls.ReceiveMany(fd, batch.Headers, BatchSize, MessageSyscalls.MsgWaitForOne, null);
        if (count >= 0) return count;
        var errno = Marshal.GetLastPInvokeError();
        if (errno == MessageSyscalls.EAgain) return 0;
        // EINTR, or an error the kernel queued on the socket (ICMP): the socket stays usable.
        if (errno != MessageSyscalls.EIntr && !_stopping)
            _logger.LogDebug("{Channel} recvmmsg failed with errno {Errno}", _metrics.Channel, errno);
        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Deliver(DatagramBatch batch, int count)
    {
        // Counted once per batch: one interlocked add instead of one per datagram.
        long bytes = 0, accepted = 0;
        var now = _limiter.Now(); // one clock read per batch: the datagrams arrived together
        for (var i = 0; i < count; i++)
        {
            var datagram = batch.Received(i);
            bytes += datagram.Length;
            var source = batch.Source(i);
            if (!_allowlist.Allows(source)) { _metrics.NotAllowed.Increment(); continue; }
            if (!_limiter.TryTake(source, now)) { _metrics.RateLimited.Increment(); continue; }
            if (batch.Truncated(i)) { _metrics.Invalid["oversized"].Increment(); continue; }
            if (_sink.OnDatagram(datagram, source) is { } refused) _metrics.Invalid[refused].Increment();
            else accepted++;
        }
        _sink.OnBatchEnd();
        _metrics.Received.Add(count);
        _metrics.Bytes.Add(bytes);
        _metrics.Accepted.Add(accepted);
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(5));
        _socket.Dispose();
    }
}
