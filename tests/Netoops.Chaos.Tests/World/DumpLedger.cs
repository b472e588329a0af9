using Netoops.Actors.Dumps;
using Netoops.Agent.Spool;

namespace Netoops.Chaos.Tests.World;

/// <summary>
/// The agent's dumps over one schedule (one boot, any number of agent restarts): which dump each
/// (boot_id, dump_id) went out for, which dumps a target reported Sent for, and which dump each
/// spool file holds. From these, the two invariants of issue 15:
/// I8, a dump id never repeats within a boot: the collector keys a dump by (source, boot_id,
/// dump_id, type), so a second dump under an id it has seen is stored as a duplicate and lost;
/// I9, a dump leaves the spool only after some target reported Sent for it; and from the issue's
/// "nothing lost", I10, every dump ends delivered, refused by policy, or in the spool.
/// </summary>
public sealed class DumpLedger(Violations violations, Trace trace)
{
    private readonly Dictionary<(uint Boot, ushort Id), string> _owners = [];
    private readonly HashSet<string> _sent = new(StringComparer.Ordinal);
    private readonly HashSet<string> _refused = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _spooled = new(StringComparer.Ordinal); // file -> dump

    /// <summary>The coordinator's report for <paramref name="dump"/>: an id that went out, maybe a Sent.</summary>
    public void Reported(string dump, DumpReport report)
    {
        if (report.Header is { } header)
        {
            var key = (header.BootId, header.DumpId);
            if (!_owners.TryAdd(key, dump) && _owners[key] != dump)
                violations.Add(Invariant.UniqueDumpId,
                    $"dump id {header.DumpId} of boot {header.BootId} went out for {_owners[key]} and again for {dump}: the collector keeps only one of them");
        }
        if (report.Delivered) _sent.Add(dump);
        if (report is { Refused: not null, Final: true }) _refused.Add(dump);
    }

    /// <summary>
    /// I10, at quiescence: a dump the desk took is delivered (some target reported Sent), refused by
    /// policy, or still in the spool. <paramref name="killedInFlight"/>: it went to an agent that was
    /// restarted since, which may have died before the dump reached the spool (a live dump in memory
    /// only is lost with a kill -9); one the desk had acknowledged as spooled is never excused.
    /// </summary>
    public void CheckNothingLost(string dump, bool killedInFlight, bool acknowledgedSpooled)
    {
        if (_sent.Contains(dump) || _refused.Contains(dump) || _spooled.ContainsValue(dump)) return;
        if (killedInFlight && !acknowledgedSpooled) return;
        violations.Add(Invariant.NothingLost,
            $"{dump} was {(acknowledgedSpooled ? "acknowledged as spooled" : "handed to the desk")} but no target reported Sent for it, no policy refused it, and it is not in the spool");
    }

    /// <summary>
    /// The spool as it is now. A file that is gone since the last look left the spool just now
    /// (the look follows every spool operation); <paramref name="dumpOf"/> reads a new file's dump.
    /// </summary>
    public void SpoolIs(IReadOnlyList<SpoolEntry> entries, Func<SpoolEntry, string> dumpOf)
    {
        var present = entries.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var (path, dump) in _spooled.Where(s => !present.Contains(s.Key)).ToList())
        {
            _spooled.Remove(path);
            trace.Add($"  spool: {dump} left ({Path.GetFileName(path)})");
            if (!_sent.Contains(dump))
                violations.Add(Invariant.SpoolUntilSent, $"{dump} left the spool before any target reported Sent for it");
        }
        foreach (var entry in entries.Where(e => !_spooled.ContainsKey(e.Path)))
        {
            var dump = dumpOf(entry);
            _spooled[entry.Path] = dump;
            trace.Add($"  spool: {dump} stored ({Path.GetFileName(entry.Path)})");
        }
    }
}
