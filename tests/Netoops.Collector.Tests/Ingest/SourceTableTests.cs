using Netoops.Collector.Ingest;

namespace Netoops.Collector.Tests.Ingest;

public sealed class SourceTableTests
{
    [Fact]
    public void Random_adds_lookups_and_removals_agree_with_a_dictionary()
    {
        var random = new Random(17);
        var table = new SourceTable<int>(capacity: 4);
        var expected = new Dictionary<SourceAddress, int>();
        // Few distinct keys, so that probe runs collide, wrap around the end and get removed from the middle.
        SourceAddress Key() => random.Next(4) == 0
            ? new SourceAddress(((UInt128)random.Next(3) << 64) | (uint)random.Next(50), (ushort)random.Next(3))
            : SourceAddress.FromV4(0x7f000000u + (uint)random.Next(300), (ushort)random.Next(2));
        for (var step = 0; step < 200_000; step++)
        {
            var key = Key();
            switch (random.Next(3))
            {
                case 0:
                    table.GetValueRefOrAddDefault(key, out var existed) = step;
                    Assert.Equal(expected.ContainsKey(key), existed);
                    expected[key] = step;
                    break;
                case 1:
                    Assert.Equal(expected.Remove(key), table.Remove(key));
                    break;
                default:
                    Assert.Equal(expected.TryGetValue(key, out var want), table.TryGetValue(key, out var got));
                    Assert.Equal(want, got);
                    break;
            }
            Assert.Equal(expected.Count, table.Count);
        }
        Assert.Equal(expected.OrderBy(e => e.Key.Address).ThenBy(e => e.Key.Port).Select(e => (e.Key, e.Value)),
            table.ToList().OrderBy(e => e.Key.Address).ThenBy(e => e.Key.Port));
        table.Clear();
        Assert.Equal(0, table.Count);
        Assert.False(table.TryGetValue(SourceAddress.FromV4(0x7f000001, 0), out _));
    }
}
