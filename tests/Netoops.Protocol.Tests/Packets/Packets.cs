using System.Text;
using Netoops.Protocol.Packets;

namespace Netoops.Protocol.Tests.Packets;

/// <summary>Small helpers shared by the packet tests.</summary>
internal static class Packets
{
    public static readonly DumpHeader Header = new() { DumpId = 77, BootId = 5, KernelVersion = "6.1.0-56-cloud-amd64" };

    /// <summary>Log-like text of a given length, no NUL: line k reads "line k".</summary>
    public static byte[] Log(int length)
    {
        var text = new StringBuilder();
        for (var line = 0; text.Length < length; line++)
            text.Append("<4>[ ").Append(line).Append("] line ").Append(line).Append('\n');
        return Encoding.ASCII.GetBytes(text.ToString(0, length));
    }

    public static byte[] RawData(ReadOnlyMemory<byte> datagram)
    {
        Assert.Equal(PacketError.None, NetoopsPacket.TryDecode(datagram.Span, out var packet));
        return packet.Data.ToArray();
    }

    public static (uint No, uint Count, string Data) Fields(ReadOnlyMemory<byte> datagram)
    {
        Assert.Equal(PacketError.None, NetoopsPacket.TryDecode(datagram.Span, out var packet));
        return (packet.PacketNo, packet.PacketCount, Encoding.ASCII.GetString(packet.Data));
    }
}
