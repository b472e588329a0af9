using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Netoops.Collector.Ingest;

/// <summary>
/// A datagram's sender as a plain value (no allocation per packet): the address as 128 bits
/// (IPv4 mapped into ::ffff:0:0/96) and the port. Converted to <see cref="IPEndPoint"/> only on
/// the rare paths that need text.
/// </summary>
public readonly record struct SourceAddress(UInt128 Address, ushort Port)
{
    private static readonly UInt128 V4Prefix = (UInt128)0xffff << 32;

    public bool IsV4 => Address >> 32 == 0xffff;

    /// <summary>The IPv4 address as a host-order integer (meaningful only when <see cref="IsV4"/>).</summary>
    public uint V4 => (uint)Address;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static SourceAddress FromV4(uint hostOrder, ushort port) => new(V4Prefix | hostOrder, port);

    /// <summary>Reads the raw Linux sockaddr that <see cref="Socket.ReceiveFrom(Span{byte}, SocketFlags, SocketAddress)"/> filled.</summary>
    public static SourceAddress From(SocketAddress address)
    {
        var raw = address.Buffer.Span;
        var port = BinaryPrimitives.ReadUInt16BigEndian(raw[2..]);
        if (address.Family == AddressFamily.InterNetwork)
            return FromV4(BinaryPrimitives.ReadUInt32BigEndian(raw[4..]), port);
        return new SourceAddress(BinaryPrimitives.ReadUInt128BigEndian(raw[8..]), port);
    }

    public static SourceAddress From(IPEndPoint endPoint)
    {
        var bytes = endPoint.Address.MapToIPv6().GetAddressBytes();
        return new SourceAddress(BinaryPrimitives.ReadUInt128BigEndian(bytes), (ushort)endPoint.Port);
    }

    public IPAddress ToIPAddress()
    {
        if (IsV4) return new IPAddress(BinaryPrimitives.ReverseEndianness(V4));
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, Address);
        return new IPAddress(bytes);
    }

    /// <summary>The host key: the address alone, as text.</summary>
    public string HostText() => ToIPAddress().ToString();

    public override string ToString() => new IPEndPoint(ToIPAddress(), Port).ToString();
}
