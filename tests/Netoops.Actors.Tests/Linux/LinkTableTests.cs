using Netoops.Actors.Linux;
using Netoops.Actors.Ports;

namespace Netoops.Actors.Tests.Linux;

public class LinkTableTests
{
    private static LinkMessage New(int index, string? name, bool up = true, int master = 0) => new(false, index, name, null, master, up, 0);

    private static LinkMessage Del(int index, string? name = null) => new(true, index, name, null, 0, false, 0);

    [Fact]
    public void Links_seen_in_the_dump_raise_no_event_but_are_known()
    {
        var table = new LinkTable();
        table.Seed(New(2, "eth0"));
        Assert.Equal(1, table.Count);
        Assert.IsType<DeviceUnregistered>(Assert.Single(table.Apply(Del(2))));
    }

    [Fact]
    public void A_new_index_is_a_registration()
    {
        var e = Assert.Single(new LinkTable().Apply(New(5, "veth0")));
        Assert.Equal(new DeviceRegistered(5, "veth0", System.Net.NetworkInformation.PhysicalAddress.None), e);
    }

    [Fact]
    public void The_same_index_with_a_new_name_is_a_rename_old_to_new()
    {
        var table = new LinkTable();
        table.Seed(New(5, "eth0"));
        var renamed = Assert.IsType<DeviceRenamed>(Assert.Single(table.Apply(New(5, "wan0"))));
        Assert.Equal(("eth0", "wan0"), (renamed.OldName, renamed.Name));
    }

    [Fact]
    public void Gaining_and_losing_a_master_are_enslave_and_release()
    {
        var table = new LinkTable();
        table.Seed(New(5, "eth0"));
        Assert.Equal(9, Assert.IsType<DeviceEnslaved>(Assert.Single(table.Apply(New(5, "eth0", master: 9)))).MasterIndex);
        Assert.IsType<DeviceReleased>(Assert.Single(table.Apply(New(5, "eth0"))));
    }

    [Fact]
    public void Oper_state_changes_are_reported_once()
    {
        var table = new LinkTable();
        table.Seed(New(5, "eth0"));
        Assert.False(Assert.IsType<LinkStateChanged>(Assert.Single(table.Apply(New(5, "eth0", up: false)))).Up);
        Assert.Empty(table.Apply(New(5, "eth0", up: false)));
    }

    [Fact]
    public void Deleting_an_unknown_nameless_link_says_nothing() => Assert.Empty(new LinkTable().Apply(Del(77)));

    [Fact]
    public void A_nameless_update_for_an_unknown_link_says_nothing() => Assert.Empty(new LinkTable().Apply(New(77, null)));
}
