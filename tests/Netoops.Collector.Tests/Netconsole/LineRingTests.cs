using System.Text;
using Netoops.Collector.Netconsole;

namespace Netoops.Collector.Tests.Netconsole;

public sealed class LineRingTests
{
    [Fact]
    public void Keeps_the_newest_lines_in_order_when_the_line_bound_is_reached()
    {
        var ring = new LineRing(maxLines: 3, maxBytes: 1000);
        foreach (var line in new[] { "one", "two", "three", "four", "five" }) ring.Add(line.AsSpan());

        Assert.Equal(["three", "four", "five"], ring.ToArray());
        Assert.Equal(["four", "five"], ring.ToArray(max: 2));
    }

    [Fact]
    public void Wrapping_the_byte_buffer_drops_exactly_the_lines_it_overwrites()
    {
        var ring = new LineRing(maxLines: 100, maxBytes: 10);
        ring.Add("aaaa"u8);
        ring.Add("bbbb"u8);
        ring.Add("ccc"u8); // no room at the end: written at the front over "aaaa"

        Assert.Equal(["bbbb", "ccc"], ring.ToArray());
        ring.Add("d"u8); // bytes 3..4: clear of "bbbb" at 4..8
        Assert.Equal(["bbbb", "ccc", "d"], ring.ToArray());
        ring.Add("ee"u8); // bytes 4..6: over the start of "bbbb", which goes
        Assert.Equal(["ccc", "d", "ee"], ring.ToArray());
    }

    [Fact]
    public void Any_sequence_of_lines_reads_back_as_a_suffix_of_what_was_added()
    {
        var random = new Random(3);
        var ring = new LineRing(maxLines: 7, maxBytes: 64);
        var added = new List<string>();
        for (var i = 0; i < 2000; i++)
        {
            var line = $"{i}:" + new string((char)('a' + i % 26), random.Next(0, 40));
            ring.Add(Encoding.UTF8.GetBytes(line));
            added.Add(line);
            var kept = ring.ToArray();
            Assert.True(kept.Length >= 1 && kept.Length <= 7);
            Assert.Equal(added.TakeLast(kept.Length), kept);
        }
    }

    [Fact]
    public void A_line_longer_than_the_buffer_keeps_its_beginning()
    {
        var ring = new LineRing(maxLines: 4, maxBytes: 8);
        ring.Add("0123456789abcdef".AsSpan());

        Assert.Equal(["01234567"], ring.ToArray());
    }

    [Fact]
    public void Text_beyond_ascii_reads_back_unchanged()
    {
        var ring = new LineRing(maxLines: 4, maxBytes: 100);
        ring.Add("überhitzt ✓".AsSpan());

        Assert.Equal(["überhitzt ✓"], ring.ToArray());
    }
}
