using Netoops.Collector.Dumps;

namespace Netoops.Collector.Tests.Dumps;

public sealed class ReplayWindowTests
{
    private static readonly UInt128 Host = 0xffff_0a00_0001;

    [Fact]
    public void A_taken_dump_id_is_a_replay_and_the_next_ones_are_not()
    {
        var window = new ReplayWindow();
        window.Take(Host, 7, 100);

        Assert.True(window.IsReplay(Host, 7, 100));
        Assert.False(window.IsReplay(Host, 7, 101));
        Assert.False(window.IsReplay(Host, 8, 100)); // another boot
        Assert.False(window.IsReplay(Host + 1, 7, 100)); // another host
    }

    [Fact]
    public void An_id_inside_the_window_not_taken_is_no_replay_and_one_before_the_window_is()
    {
        var window = new ReplayWindow();
        window.Take(Host, 7, 200);
        window.Take(Host, 7, 210);

        Assert.False(window.IsReplay(Host, 7, 205)); // a dump that finished late, out of order
        Assert.True(window.IsReplay(Host, 7, (ushort)(210 - ReplayWindow.Width)));
    }

    [Fact]
    public void Dump_ids_wrapping_at_65536_are_newer_not_replays()
    {
        // The agent starts a boot's ids at its uptime in seconds: a long-running host wraps.
        var window = new ReplayWindow();
        window.Take(Host, 7, 65_534);
        window.Take(Host, 7, 65_535);

        Assert.False(window.IsReplay(Host, 7, 0));
        window.Take(Host, 7, 0);
        Assert.False(window.IsReplay(Host, 7, 1));
        Assert.True(window.IsReplay(Host, 7, 65_535));
        Assert.True(window.IsReplay(Host, 7, 0));
    }
}
