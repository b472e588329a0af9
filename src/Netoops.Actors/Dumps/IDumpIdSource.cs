namespace Netoops.Actors.Dumps;

/// <summary>
/// Where the dump coordinator takes each new dump_id. One production implementation,
/// <see cref="DumpIdAllocator"/>; the seam exists so that the chaos suite can put back an older
/// rule (a replay id that is "anything but the previous id") and show that its invariants catch it.
/// </summary>
public interface IDumpIdSource
{
    /// <summary>The next id of <paramref name="bootId"/>; a failure to remember it is returned, not thrown.</summary>
    ushort Next(uint bootId, TimeSpan uptime, out Exception? saveError);
}
