using System.Net;
using System.Runtime.CompilerServices;

namespace Netoops.Collector.Ingest;

/// <summary>
/// Which senders may deliver datagrams, as CIDRs (`10.0.0.0/8`, `2001:db8::/32`, `127.0.0.1`).
/// Empty means everyone. Checked per datagram on integers, without allocating.
/// </summary>
public sealed class SourceAllowlist
{
    private readonly (UInt128 Network, UInt128 Mask)[] _networks;

    public SourceAllowlist(IEnumerable<string> cidrs)
    {
        var list = new List<(UInt128, UInt128)>();
        foreach (var cidr in cidrs)
        {
            if (!IPNetwork.TryParse(cidr.Contains('/') ? cidr : cidr + (cidr.Contains(':') ? "/128" : "/32"), out var network))
                throw new FormatException($"'{cidr}' is not an address or CIDR (e.g. 10.0.0.0/8)");
            var prefix = network.PrefixLength + (network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 96 : 0);
            var mask = prefix == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - prefix);
            var address = SourceAddress.From(new IPEndPoint(network.BaseAddress, 0)).Address;
            list.Add((address & mask, mask));
        }
        _networks = [.. list];
        Description = _networks.Length == 0 ? "everyone" : string.Join(", ", cidrs);
    }

    public static readonly SourceAllowlist Everyone = new([]);

    public string Description { get; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Allows(in SourceAddress source) => _networks.Length == 0 || Contains(source);

    /// <summary>True when one of the networks holds <paramref name="source"/> (never, when there are none).</summary>
    public bool Contains(in SourceAddress source)
    {
        foreach (var (network, mask) in _networks)
            if ((source.Address & mask) == network) return true;
        return false;
    }
}
