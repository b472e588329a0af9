using System.Net;
using System.Net.Sockets;
using System.Text;
using Netoops.Actors.Ports;

namespace Netoops.Actors.Linux;

/// <summary>
/// A UDP socket bound to one device (SO_BINDTODEVICE) and local ip:port, sending to one remote.
/// Unconnected on purpose: an ICMP "port unreachable" from a listener-less collector must not
/// turn the next send into an error, just as the kernel's netpoll never hears of it.
/// </summary>
public sealed class BoundUdpChannel : IDatagramChannel
{
    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;
    private const int SolIp = 0;
    private const int IpFreeBind = 15;
    private const int SolIpv6 = 41;
    private const int Ipv6FreeBind = 78;
    private static readonly byte[] One = BitConverter.GetBytes(1);
    private readonly Socket _socket;
    private readonly SocketAddress _remote;

    private BoundUdpChannel(Socket socket, IPEndPoint remote)
    {
        _socket = socket;
        _remote = remote.Serialize();
    }

    public static BoundUdpChannel Open(string device, IPEndPoint local, IPEndPoint remote)
    {
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetRawSocketOption(SolSocket, SoBindToDevice, Encoding.ASCII.GetBytes(device + "\0"));
            // Several targets may share a device and the default local port, as kernel targets do.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            // A resumed target keeps its local_ip (as the kernel does) while the re-registered
            // device may not carry that address yet: bind anyway; sends fail, and count, until it does.
            if (local.AddressFamily == AddressFamily.InterNetworkV6) socket.SetRawSocketOption(SolIpv6, Ipv6FreeBind, One);
            else socket.SetRawSocketOption(SolIp, IpFreeBind, One);
            // A dump is ~540 KB per round trip of three: room for a whole round before EAGAIN.
            socket.SendBufferSize = 1 << 20;
            socket.Bind(local);
            socket.Blocking = false;
            return new BoundUdpChannel(socket, remote);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public SendResult Send(ReadOnlySpan<byte> datagram)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, _remote);
            return SendResult.Sent;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.WouldBlock)
        {
            return SendResult.Full;
        }
        catch (SocketException ex)
        {
            return SendResult.Failed(ex.SocketErrorCode.ToString());
        }
        catch (ObjectDisposedException)
        {
            return SendResult.Failed("closed");
        }
    }

    public Task CloseAsync()
    {
        _socket.Dispose();
        return Task.CompletedTask;
    }
}
