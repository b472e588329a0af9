using System.Text;
using Netoops.Agent.Log;

namespace Netoops.Agent.Tests.Log;

public class LogRingTests
{
    private static string TextOf(Netoops.Actors.Dumps.LogSnapshot snapshot)
        => Encoding.UTF8.GetString(snapshot.Older.Span) + Encoding.UTF8.GetString(snapshot.Newer.Span);

    [Fact]
    public void Lines_are_formatted_as_dmesg_prints_them()
    {
        Assert.Equal("[    4.008856] eth0: link up\n", LogRing.FormatLine(4_008_856, "eth0: link up"));
        Assert.Equal("[123456.000001] x\n", LogRing.FormatLine(123_456_000_001, "x"));
    }

    [Fact]
    public void Before_wrapping_everything_is_in_the_newer_segment()
    {
        var ring = new LogRing(1024);
        ring.Append(1, "a");
        ring.Append(2, "b");

        var snapshot = ring.Snapshot();
        Assert.True(snapshot.Older.IsEmpty);
        Assert.Equal("[    0.000001] a\n[    0.000002] b\n", Encoding.UTF8.GetString(snapshot.Newer.Span));
    }

    [Fact]
    public void When_full_the_oldest_whole_lines_are_evicted_and_the_snapshot_splits_like_a_wrapped_ring()
    {
        var ring = new LogRing(100);
        for (var i = 0; i < 11; i++)
            ring.AppendLine($"line {i:D2} ...........\n"); // 20 bytes each: 5 fit

        var snapshot = ring.Snapshot();
        Assert.True(ring.Used <= 100);
        Assert.False(snapshot.Older.IsEmpty);
        Assert.False(snapshot.Newer.IsEmpty);
        var lines = TextOf(snapshot).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(6, 5).Select(i => $"line {i:D2} ..........."), lines);
        Assert.Equal(6, ring.EvictedLines);
    }

    [Fact]
    public void A_line_longer_than_the_ring_keeps_its_newest_bytes()
    {
        var ring = new LogRing(64);
        ring.AppendLine(new string('a', 100) + "END\n");

        var text = TextOf(ring.Snapshot());
        Assert.Equal(64, text.Length);
        Assert.EndsWith("END\n", text);
    }

    [Fact]
    public void The_default_capacity_is_256_KiB()
        => Assert.Equal(256 * 1024, new LogRing().Capacity);
}
