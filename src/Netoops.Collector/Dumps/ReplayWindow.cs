namespace Netoops.Collector.Dumps;

/// <summary>
/// Signed dumps already taken, per host and boot, by dump_id: a recorded signed dump sent again
/// after its key has left the shard's recent keys would otherwise verify and be stored twice.
/// The agent allocates dump ids upward within a boot, so a window of the highest id seen and a
/// bitmap of the <see cref="Width"/> below it suffices: an id at or below that window, or marked
/// in it, is a replay. Bounded in (host, boot) pairs, the oldest forgotten first.
/// </summary>
public sealed class ReplayWindow(int maxBoots = 100_000)
{
    public const int Width = 64;

    private sealed class Boot
    {
        public int Highest = -1;
        /// <summary>Bit i: dump id Highest − i was taken.</summary>
        public ulong Taken;
    }

    private readonly Dictionary<(UInt128 Host, uint BootId), Boot> _boots = [];
    private readonly Queue<(UInt128, uint)> _order = new();

    public bool IsReplay(UInt128 host, uint bootId, ushort dumpId)
    {
        if (!_boots.TryGetValue((host, bootId), out var boot) || dumpId > boot.Highest) return false;
        var back = boot.Highest - dumpId;
        return back >= Width || (boot.Taken & (1UL << back)) != 0;
    }

    public void Take(UInt128 host, uint bootId, ushort dumpId)
    {
        if (!_boots.TryGetValue((host, bootId), out var boot))
        {
            if (_boots.Count >= maxBoots && _order.TryDequeue(out var oldest)) _boots.Remove(oldest);
            _boots.Add((host, bootId), boot = new Boot());
            _order.Enqueue((host, bootId));
        }
        if (dumpId > boot.Highest)
        {
            var shift = dumpId - boot.Highest;
            boot.Taken = shift >= Width ? 0 : boot.Taken << shift;
            boot.Highest = dumpId;
        }
        var back = boot.Highest - dumpId;
        if (back < Width) boot.Taken |= 1UL << back;
    }
}
