namespace Netoops.Protocol.Packets;

/// <summary>What a receiver is willing to accept.</summary>
/// <param name="MaxPacketCount">
/// Largest packet_count accepted. A dump of N packets makes a receiver hold up to N KiB, so a
/// hostile count must not reserve memory; 8192 packets = an 8 MiB log, above any default ring.
/// </param>
public readonly record struct PacketLimits(uint MaxPacketCount)
{
    public const uint DefaultMaxPacketCount = 8192;

    public static PacketLimits Default => new(DefaultMaxPacketCount);
}
