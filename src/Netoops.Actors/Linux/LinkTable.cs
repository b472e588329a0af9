using System.Net.NetworkInformation;
using Netoops.Actors.Ports;

namespace Netoops.Actors.Linux;

/// <summary>
/// The index → device table that turns raw link messages into notifier events. rtnetlink reports
/// a rename as RTM_NEWLINK with the same index and only the new name, and enslaving as a new
/// IFLA_MASTER: both are only visible against what was known before. The table outlives a
/// listener, so a restarted listener's dump is compared with it and what changed while nobody
/// listened is reported too. Pure; not thread-safe.
/// </summary>
public sealed class LinkTable
{
    private readonly Dictionary<int, Known> _links = [];
    private HashSet<int>? _presentInSync;
    private bool _synced;

    public int Count => _links.Count;

    /// <summary>Records a link from the initial dump: it was there before we listened, so no event.</summary>
    public void Seed(LinkMessage m)
    {
        if (m.Deleted) _links.Remove(m.Index);
        else if (m.Name is not null) _links[m.Index] = new Known(m.Name, m.Mac ?? PhysicalAddress.None, m.Master, m.Up);
    }

    /// <summary>A dump starts: from now on, every link it or an event names counts as present.</summary>
    public void BeginSync() => _presentInSync = [];

    /// <summary>
    /// One link of the dump. The first dump only learns the table, saying just whether each link can
    /// carry packets: a target set up before we listened would otherwise miss a link that went down
    /// meanwhile. A later dump (the listener restarted) reports every change as an event.
    /// </summary>
    public IReadOnlyList<LinkEvent> Sync(LinkMessage m)
    {
        if (_synced) return Apply(m);
        Seed(m);
        if (!_links.TryGetValue(m.Index, out var known) || m.Deleted) return [];
        _presentInSync?.Add(m.Index);
        return [new LinkStateChanged(m.Index, known.Name, known.Mac, known.Up)];
    }

    /// <summary>
    /// The dump is over. Links known before but named neither by the dump nor by an event since it
    /// began went away while nobody listened. After a failed dump nothing is concluded.
    /// </summary>
    public IReadOnlyList<LinkEvent> EndSync(bool failed)
    {
        var events = new List<LinkEvent>();
        if (_synced && !failed && _presentInSync is { } present)
        {
            foreach (var (index, gone) in _links.Where(l => !present.Contains(l.Key)).ToList())
            {
                _links.Remove(index);
                events.Add(new DeviceUnregistered(index, gone.Name, gone.Mac));
            }
        }
        _synced = true;
        _presentInSync = null;
        return events;
    }

    public IReadOnlyList<LinkEvent> Apply(LinkMessage m)
    {
        var events = new List<LinkEvent>();
        if (!m.Deleted) _presentInSync?.Add(m.Index);
        _links.TryGetValue(m.Index, out var known);
        if (m.Deleted)
        {
            if (known is null && m.Name is null) return events;
            _links.Remove(m.Index);
            events.Add(new DeviceUnregistered(m.Index, m.Name ?? known!.Name, m.Mac ?? known?.Mac ?? PhysicalAddress.None));
            return events;
        }
        var name = m.Name ?? known?.Name;
        if (name is null) return events; // a partial update for a link we never saw named: nothing to report
        var mac = m.Mac ?? known?.Mac ?? PhysicalAddress.None;
        var now = new Known(name, mac, m.Master, m.Up);
        _links[m.Index] = now;
        if (known is null)
        {
            events.Add(new DeviceRegistered(m.Index, name, mac));
            if (m.Master != 0) events.Add(new DeviceEnslaved(m.Index, name, mac, m.Master));
            return events;
        }
        if (known.Name != name) events.Add(new DeviceRenamed(m.Index, known.Name, name, mac));
        if (known.Master == 0 && m.Master != 0) events.Add(new DeviceEnslaved(m.Index, name, mac, m.Master));
        if (known.Master != 0 && m.Master == 0) events.Add(new DeviceReleased(m.Index, name, mac));
        if (known.Up != m.Up) events.Add(new LinkStateChanged(m.Index, name, mac, m.Up));
        return events;
    }

    private sealed record Known(string Name, PhysicalAddress Mac, int Master, bool Up);
}
