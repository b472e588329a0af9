using System.Net;
using System.Net.Sockets;
using Netoops.Collector.Loadgen;

namespace Netoops.Collector.Tests.Support;

/// <summary>
/// A real UDP hop between senders and the collector that loses, duplicates and reorders datagrams
/// (seeded). Each sender gets its own outgoing socket, so the collector still sees distinct sources.
/// </summary>
public sealed class LossyUdpProxy : IDisposable
{
    private readonly UdpClient _listener = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly Dictionary<IPEndPoint, UdpClient> _outgoing = [];
    private readonly IPEndPoint _target;
    private readonly Impairment _impairment;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LossyUdpProxy(IPEndPoint target, Impairment impairment)
    {
        _target = target;
        _impairment = impairment;
        _loop = Task.Run(RunAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.Client.LocalEndPoint!;
    public int Forwarded { get; private set; }

    private async Task RunAsync()
    {
        var output = new List<ReadOnlyMemory<byte>>();
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try { received = await _listener.ReceiveAsync(_stop.Token); }
            catch (OperationCanceledException) { break; }
            if (!_outgoing.TryGetValue(received.RemoteEndPoint, out var socket))
                _outgoing[received.RemoteEndPoint] = socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            output.Clear();
            _impairment.Pass(received.Buffer, output);
            foreach (var datagram in output)
            {
                await socket.SendAsync(datagram, _target);
                Forwarded++;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _listener.Dispose();
        foreach (var socket in _outgoing.Values) socket.Dispose();
    }
}
