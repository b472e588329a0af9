namespace Netoops.Collector.Dumps;

/// <summary>
/// Signed dumps already taken, per host and boot, by dump_id: a recorded signed dump sent again
/// after its key has left the shard's recent keys would otherwise verify and be stored twice.
/// The agent allocates dump ids upward within a boot (wrapping at 65,536: it starts from the uptime
/// in seconds), so a window of the newest id seen and a bitmap of the <see cref="Width"/> before it
/// suffices: an id before that window, or marked in it, is a replay. "Newer" is serial-number
/// arithmetic (RFC 1982) on 16 bits, so a wrap is not mistaken for a replay. Bounded in (host,
/// boot) pairs, the oldest forgotten first.
/// </summary>
public sealed class ReplayWindow(int maxBoots = 100_000)
{
    public const int Width = 64;

    private sealed class Boot(ushort newest)
    {
        public ushort Newest = newest;
        /// <summary>Bit i: dump id Newest − i was taken.</summary>
        public ulong Taken;
    }

    private readonly Dictionary<(UInt128 Host, uint BootId), Boot> _boots = [];
    private readonly Queue<(UInt128, uint)> _order = new();

    public bool IsReplay(UInt128 host, uint bootId, ushort dumpId)
    {
        if (!_boots.TryGetValue((host, bootId), out var boot) || IsNewer(dumpId, boot.Newest)) return false;
        var back = (ushort)(boot.Newest - dumpId);
        return back >= Width || (boot.Taken & (1UL << back)) != 0;
    }

    /// <summary>RFC 1982 on 16 bits: <paramref name="id"/> comes after <paramref name="newest"/>.</summary>
    private static bool IsNewer(ushort id, ushort newest) => id != newest && (ushort)(id - newest) < 0x8000;

    public void Take(UInt128 host, uint bootId, ushort dumpId)
    {
        if (!_boots.TryGetValue((host, bootId), out var boot))
        {
            if (_boots.Count >= maxBoots && _order.TryDequeue(out var oldest)) _boots.Remove(oldest);
            _boots.Add((host, bootId), boot = new Boot(dumpId));
            _order.Enqueue((host, bootId));
        }
        if (IsNewer(dumpId, boot.Newest))
        {
            var shift = (ushort)(dumpId - boot.Newest);
            boot.Taken = shift >= Width ? 0 : boot.Taken << shift;
            boot.Newest = dumpId;
        }
        var back = (ushort)(boot.Newest - dumpId);
        if (back < Width) boot.Taken |= 1UL << back;
    }
}
