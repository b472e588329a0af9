using Netoops.Actors.Dumps;

namespace Netoops.Chaos.Tests.Mutants;

/// <summary>
/// The replay-id rule the dump desk had before issue 15: uptime seconds &amp; 0xffff, bumped by one
/// when that is the previous id. Within one second it alternates (2363, 2364, 2363, ...), so the
/// third dump takes the first one's id, and nothing is remembered across a restart. It reads the
/// coordinator's (virtual) uptime where the desk read the real clock, so a seed still replays.
/// </summary>
public sealed class NotThePreviousId : IDumpIdSource
{
    private ushort? _previous;

    public ushort Next(uint bootId, TimeSpan uptime, out Exception? saveError)
    {
        saveError = null;
        var id = (ushort)((long)uptime.TotalSeconds & 0xffff);
        if (id == _previous) id++;
        _previous = id;
        return id;
    }
}
