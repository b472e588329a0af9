using Netoops.Actors.Ports;

namespace Netoops.Actors.Dumps;

/// <summary>
/// The one place a dump_id is chosen (live, soft, spool replay and pstore dumps alike). A collector
/// keys a dump by (source, boot_id, dump_id, type), so two dumps of one boot must never share an id,
/// not even across a restart of the agent: ids only move forward, one counter per boot_id.
/// A boot seen for the first time starts where the kernel would (uptime seconds &amp; 0xffff), so an
/// agent whose state was lost, or the first agent after one that used the kernel's rule, still lands
/// past the ids already used in this boot unless dumps came faster than one a second.
/// Persisting every id would put a file write and an fsync on the dump path (the aim is ≤ 5 ms from
/// the oops to the first packet), so ids are reserved in blocks: the store is written once per
/// <see cref="Block"/> ids, before the first of them is used, and a restart skips what was left of the
/// block. Within one boot the counter wraps after 65 536 dumps, as the 16-bit field must.
/// Not thread-safe: its owner is the dump coordinator.
/// </summary>
public sealed class DumpIdAllocator : IDumpIdSource
{
    public const int Block = 64;
    /// <summary>Replays carry their own boot's id; a handful of boots covers any spool.</summary>
    public const int BootsKept = 16;

    private readonly IDumpIdStore _store;
    private readonly List<Boot> _boots; // most recently used first

    private sealed class Boot(uint bootId, ushort next)
    {
        public uint BootId { get; } = bootId;
        public ushort Next { get; set; } = next;
        /// <summary>Ids from <see cref="Next"/> on that the store already covers.</summary>
        public int Reserved { get; set; }
    }

    public DumpIdAllocator(IDumpIdStore store)
    {
        _store = store;
        _boots = store.Load().Take(BootsKept).Select(r => new Boot(r.BootId, r.Next)).ToList();
    }

    /// <summary>
    /// The next id of <paramref name="bootId"/>. When the store cannot be written the id is still
    /// handed out (a dump matters more than the restart guarantee) and the error is returned in
    /// <paramref name="saveError"/> for the owner to log.
    /// </summary>
    public ushort Next(uint bootId, TimeSpan uptime, out Exception? saveError)
    {
        saveError = null;
        var boot = _boots.Find(b => b.BootId == bootId) ?? new Boot(bootId, (ushort)((long)uptime.TotalSeconds & 0xffff));
        _boots.Remove(boot);
        _boots.Insert(0, boot);
        if (_boots.Count > BootsKept) _boots.RemoveAt(_boots.Count - 1);

        if (boot.Reserved == 0)
        {
            boot.Reserved = Block;
            try
            {
                _store.Save(_boots.Select(b => new DumpIdReservation(b.BootId, unchecked((ushort)(b.Next + b.Reserved)))).ToList());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                saveError = e;
            }
        }
        boot.Reserved--;
        return boot.Next++;
    }
}
