using Netoops.Collector.Dumps;
using Netoops.Collector.Ingest;

namespace Netoops.Collector.Tests.Dumps;

public sealed class DumpShardsTests
{
    [Fact]
    public void Every_port_of_one_address_lands_on_the_same_shard()
    {
        var shards = Enumerable.Range(0, 500)
            .Select(port => DumpShards.Index(SourceAddress.FromV4(0x7f000009, (ushort)(1000 + port)).Address, 4));
        Assert.Single(shards.Distinct());
    }

    [Fact]
    public void A_fleet_of_consecutive_addresses_spreads_evenly_over_the_shards()
    {
        var counts = new int[4];
        for (uint host = 0; host < 4000; host++)
            counts[DumpShards.Index(SourceAddress.FromV4(0x7f000001 + host, 2004).Address, counts.Length)]++;
        Assert.All(counts, c => Assert.InRange(c, 800, 1200));
    }
}
