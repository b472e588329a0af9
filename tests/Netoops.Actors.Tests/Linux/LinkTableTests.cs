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

    [Fact]
    public void The_first_dump_tells_each_links_state_and_nothing_else()
    {
        var table = new LinkTable();
        table.BeginSync();
        var events = table.Sync(New(2, "eth0")).Concat(table.Sync(New(3, "veth0", up: false))).Concat(table.EndSync(failed: false));
        Assert.Equal(
            [new LinkStateChanged(2, "eth0", None, true), new LinkStateChanged(3, "veth0", None, false)],
            events.ToArray());
    }

    [Fact]
    public void A_restarted_dump_reports_what_changed_while_nobody_listened()
    {
        var table = Synced(New(2, "eth0"), New(3, "veth0"), New(4, "gone0"));
        table.BeginSync();
        var events = table.Sync(New(2, "eth0")).Concat(table.Sync(New(3, "wan0", up: false))).Concat(table.Sync(New(7, "new0")))
            .Concat(table.EndSync(failed: false)).ToArray();
        Assert.Equal(
        [
            new DeviceRenamed(3, "veth0", "wan0", None), new LinkStateChanged(3, "wan0", None, false),
            new DeviceRegistered(7, "new0", None), new DeviceUnregistered(4, "gone0", None),
        ], events);
    }

    [Fact]
    public void A_link_named_by_an_event_during_the_dump_is_not_taken_for_gone()
    {
        var table = Synced(New(2, "eth0"), New(4, "late0"));
        table.BeginSync();
        table.Sync(New(2, "eth0"));
        Assert.Empty(table.Apply(New(4, "late0")));
        Assert.Empty(table.EndSync(failed: false));
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void A_failed_dump_concludes_nothing_about_links_it_did_not_list()
    {
        var table = Synced(New(2, "eth0"), New(4, "eth1"));
        table.BeginSync();
        table.Sync(New(2, "eth0"));
        Assert.Empty(table.EndSync(failed: true));
        Assert.Equal(2, table.Count);
    }

    private static readonly System.Net.NetworkInformation.PhysicalAddress None = System.Net.NetworkInformation.PhysicalAddress.None;

    private static LinkTable Synced(params LinkMessage[] links)
    {
        var table = new LinkTable();
        table.BeginSync();
        foreach (var link in links) table.Sync(link);
        table.EndSync(failed: false);
        return table;
    }
}
