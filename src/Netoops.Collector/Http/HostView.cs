using Netoops.Collector.Actors;
using Netoops.Collector.Netconsole;
using Netoops.Collector.Storage;

namespace Netoops.Collector.Http;

/// <summary>
/// A host as `/api/hosts` lists it: what the store knows (crashes; id and first seen once it has
/// stored one) beside what its netconsole streams say now (messages, loss, release). A host heard
/// only on netconsole is listed too, with no id and 0 crashes.
/// </summary>
/// <param name="CrashesOverLimit">Crashes counted but not stored since the collector started: the host was over its per-minute budget.</param>
public sealed record HostView(long? Id, string Address, DateTimeOffset FirstSeen, DateTimeOffset LastSeen, long Crashes,
    long CrashesOverLimit, HostStream.Snapshot? Netconsole)
{
    public static IReadOnlyList<HostView> Merge(IReadOnlyList<HostSummary> stored, IEnumerable<(string Host, HostStream.Snapshot Stream)> streams,
        HostCrashBudget budget)
    {
        var heard = streams.Where(s => s.Stream.Messages > 0).ToDictionary(s => s.Host, s => s.Stream, StringComparer.Ordinal);
        var hosts = new List<HostView>(stored.Count + heard.Count);
        foreach (var host in stored)
        {
            heard.Remove(host.Address, out var stream);
            var lastSeen = stream is not null && stream.LastSeen > host.LastSeen ? stream.LastSeen : host.LastSeen;
            hosts.Add(new HostView(host.Id, host.Address, host.FirstSeen, lastSeen, host.Crashes, budget.OverLimit(host.Address), stream));
        }
        foreach (var (address, stream) in heard.OrderBy(h => h.Key, StringComparer.Ordinal))
            hosts.Add(new HostView(null, address, stream.FirstSeen, stream.LastSeen, 0, budget.OverLimit(address), stream));
        return hosts;
    }
}
