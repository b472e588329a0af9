using Netoops.Protocol.Packets;

namespace Netoops.Collector.Ingest;

/// <summary>
/// Whether a netoops packet's sender proved it holds the fleet key (<see cref="PacketTag"/>), and
/// whether its network must: stock kernels cannot sign, so unsigned packets are accepted except
/// from the networks listed as signed-only. A tag that does not verify is always refused (forged
/// or tampered). Without a key the collector cannot check tags: every packet counts as unsigned.
/// </summary>
public sealed class SenderAuth(byte[]? key, SourceAllowlist signedOnly)
{
    /// <summary>Null when the packet may go on (<paramref name="authenticated"/> says whether it was signed), else the refusal's code.</summary>
    public string? Judge(ReadOnlySpan<byte> packet, in SourceAddress source, out bool authenticated)
    {
        authenticated = false;
        if (key is null) return signedOnly.Contains(source) ? "unsigned" : null;
        switch (PacketTag.Verify(packet, key))
        {
            case TagVerdict.Valid:
                authenticated = true;
                return null;
            case TagVerdict.Invalid:
                return "bad_signature";
            default:
                return signedOnly.Contains(source) ? "unsigned" : null;
        }
    }
}
