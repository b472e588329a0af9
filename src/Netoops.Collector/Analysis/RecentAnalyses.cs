using System.Collections.Concurrent;

namespace Netoops.Collector.Analysis;

/// <summary>
/// Analyses of reports seen in the last <c>horizon</c>, by <see cref="ReportFingerprint"/>: an owned
/// instance shared by the analysts (which remember) and the dump shards (which look up before a
/// finished dump joins the analysis backlog). Bounded by <c>capacity</c>: when full, expired entries
/// are swept, and if none has expired the new one is not kept (its dumps are analysed in full).
/// </summary>
public sealed class RecentAnalyses(TimeSpan horizon, int capacity)
{
    private readonly ConcurrentDictionary<ulong, (CrashAnalysis Analysis, DateTimeOffset Until)> _entries = new();

    public int Count => _entries.Count;

    public bool TryGet(ulong fingerprint, DateTimeOffset now, out CrashAnalysis analysis)
    {
        analysis = null!;
        if (!_entries.TryGetValue(fingerprint, out var entry) || entry.Until <= now) return false;
        analysis = entry.Analysis;
        return true;
    }

    /// <summary>Keeps <paramref name="analysis"/> unless its title or bucket depends on what the fingerprint masks.</summary>
    public bool Remember(ulong fingerprint, CrashAnalysis analysis, DateTimeOffset now)
    {
        if (ReportFingerprint.MasksPartOf(analysis.Title) || ReportFingerprint.MasksPartOf(analysis.BucketKey)) return false;
        if (_entries.Count >= capacity && !_entries.ContainsKey(fingerprint))
        {
            foreach (var (key, entry) in _entries)
                if (entry.Until <= now) _entries.TryRemove(key, out _);
            if (_entries.Count >= capacity) return false;
        }
        _entries[fingerprint] = (analysis, now + horizon);
        return true;
    }
}
