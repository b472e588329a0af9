namespace Netoops.Actors.Dumps;

/// <summary>
/// Which reasons dump, and how often. OOM additionally needs the netoops <c>record_oom</c> setting,
/// like the vendor kernels' <c>netoops_record_oom</c>. A rate limit per reason keeps a crash loop
/// (or a WARN storm) from flooding the collector; different reasons don't limit each other, so the
/// panic after an oops still goes out.
/// </summary>
public sealed record DumpPolicy(IReadOnlySet<DumpReason> Reasons, TimeSpan MinInterval)
{
    public static readonly DumpPolicy Default = new(
        new HashSet<DumpReason> { DumpReason.Oops, DumpReason.Panic, DumpReason.Soft, DumpReason.Oom },
        TimeSpan.FromSeconds(5));

    /// <summary>Why a dump for <paramref name="reason"/> must not go out now, or null.</summary>
    public string? Refusal(DumpReason reason, bool recordOom, TimeSpan now, TimeSpan? lastOfReason)
    {
        if (!Reasons.Contains(reason)) return $"{reason} dumps are not enabled";
        if (reason == DumpReason.Oom && !recordOom) return "OOM dumps need record_oom=1";
        if (lastOfReason is { } last && now - last < MinInterval)
            return $"rate limited: the last {reason} dump was {(now - last).TotalSeconds:0.#} s ago (minimum {MinInterval.TotalSeconds:0.#} s)";
        return null;
    }
}
