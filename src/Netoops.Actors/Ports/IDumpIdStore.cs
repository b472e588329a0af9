namespace Netoops.Actors.Ports;

/// <summary>For one boot_id, the first dump_id not yet handed out or reserved.</summary>
public sealed record DumpIdReservation(uint BootId, ushort Next);

/// <summary>
/// Where the dump-id allocator remembers how far each boot got, so that a restarted agent does not
/// hand out an id of the same boot again. One real implementation (<c>DumpIdFile</c>, a small file
/// in the agent's state directory); <see cref="InMemoryDumpIdStore"/> where nothing outlives the process.
/// </summary>
public interface IDumpIdStore
{
    /// <summary>Most recently used boot first; empty when nothing was saved (or it cannot be read).</summary>
    IReadOnlyList<DumpIdReservation> Load();

    /// <summary>Durable when it returns; throws <see cref="IOException"/> (or an access error) when it cannot be.</summary>
    void Save(IReadOnlyList<DumpIdReservation> reservations);
}

/// <summary>Keeps the reservations in memory: a process that starts again starts from nothing.</summary>
public sealed class InMemoryDumpIdStore : IDumpIdStore
{
    private IReadOnlyList<DumpIdReservation> _saved = [];

    public IReadOnlyList<DumpIdReservation> Load() => _saved;

    public void Save(IReadOnlyList<DumpIdReservation> reservations) => _saved = reservations.ToList();
}
