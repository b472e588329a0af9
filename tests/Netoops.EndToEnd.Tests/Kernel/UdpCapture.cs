using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Netoops.EndToEnd.Tests.Kernel;

/// <summary>
/// A plain UDP receiver on a free loopback port, standing in for the collector: it keeps every
/// datagram in arrival order and writes them to the scenario's artefacts.
/// </summary>
public sealed class UdpCapture : IDisposable
{
    private const int ReceiveBufferBytes = 8 * 1024 * 1024;
    private const int SolSocket = 1;
    private const int SoRcvBufForce = 33;

    private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly List<byte[]> _datagrams = [];
    private readonly Thread _receiving;

    public UdpCapture(string name)
    {
        Name = name;
        ReserveReceiveBuffer(_socket.Client);
        _receiving = new Thread(Receive) { IsBackground = true, Name = $"udp-capture-{name}" };
        _receiving.Start();
    }

    public string Name { get; }

    /// <summary>
    /// netconsole replays the whole boot log in one burst when it loads: a roomy receive buffer
    /// keeps every datagram even when the test process is slow to read. SO_RCVBUFFORCE (root, as
    /// in CI) goes past net.core.rmem_max, which would otherwise cap the size silently.
    /// </summary>
    private static void ReserveReceiveBuffer(Socket socket)
    {
        try
        {
            socket.SetRawSocketOption(SolSocket, SoRcvBufForce, BitConverter.GetBytes(ReceiveBufferBytes));
        }
        catch (SocketException)
        {
            socket.ReceiveBufferSize = ReceiveBufferBytes; // not root: as much as rmem_max allows
        }
    }

    public int Port => ((IPEndPoint)_socket.Client.LocalEndPoint!).Port;

    /// <summary>The datagrams so far, in arrival order.</summary>
    public IReadOnlyList<byte[]> Datagrams
    {
        get
        {
            lock (_datagrams)
                return _datagrams.ToList();
        }
    }

    /// <summary>Each datagram as text: the kernel sends text, escaping what is not printable.</summary>
    public IReadOnlyList<string> Texts => Datagrams.Select(datagram => Encoding.UTF8.GetString(datagram)).ToList();

    /// <summary>Everything received as one stream of text (how a basic netconsole target reads).</summary>
    public string Stream => string.Concat(Texts);

    /// <summary>
    /// Waits until the socket is drained and no datagram came in for <paramref name="quiet"/>: the
    /// guest's last datagrams may still be queued, or not yet read by a busy test process.
    /// </summary>
    public async Task WaitUntilQuietAsync(TimeSpan quiet, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var count = -1;
        while (DateTime.UtcNow < deadline)
        {
            var now = Datagrams.Count;
            if (now == count && _socket.Available == 0)
                return;
            count = now;
            await Task.Delay(quiet);
        }
    }

    /// <summary>Writes the datagrams twice: raw as the wire carried them, and one per line for reading.</summary>
    public void Save(ScenarioLog log)
    {
        var datagrams = Datagrams;
        using (var raw = File.Create(log.PathOf($"{Name}.datagrams.bin")))
        {
            foreach (var datagram in datagrams)
            {
                // Length-prefixed, so the file splits back into the datagrams it came from.
                raw.Write(BitConverter.GetBytes(datagram.Length));
                raw.Write(datagram);
            }
        }
        File.WriteAllLines(log.PathOf($"{Name}.datagrams.txt"),
            datagrams.Select((datagram, index) => $"#{index} {Encoding.UTF8.GetString(datagram).ReplaceLineEndings("⏎")}"));
        log.Step($"{Name}: {datagrams.Count} datagrams on 127.0.0.1:{Port}, saved to {Name}.datagrams.*");
    }

    /// <summary>
    /// A thread of its own, not the thread pool: on a busy machine a pooled continuation can lag
    /// for seconds, and a datagram taken off the socket must be in the list right away.
    /// </summary>
    private void Receive()
    {
        var from = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            while (true)
            {
                var datagram = _socket.Receive(ref from);
                lock (_datagrams)
                    _datagrams.Add(datagram);
            }
        }
        catch (Exception stopped) when (stopped is SocketException or ObjectDisposedException)
        {
            // Disposed: the scenario is over.
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _receiving.Join(TimeSpan.FromSeconds(5));
    }
}
