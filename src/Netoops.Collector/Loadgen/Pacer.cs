using System.Diagnostics;

namespace Netoops.Collector.Loadgen;

/// <summary>
/// Spaces events at a rate: sleeps while ahead of schedule, sends without pause while behind
/// (so a sender that cannot keep up shows as a lower achieved rate, not as a stall).
/// </summary>
internal sealed class Pacer(double perSecond)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public bool Done(TimeSpan duration) => _clock.Elapsed >= duration;

    /// <summary>Waits until event number <paramref name="count"/> is due.</summary>
    public void WaitFor(long count)
    {
        var due = TimeSpan.FromSeconds(count / perSecond);
        var ahead = due - _clock.Elapsed;
        // Sleeping is coarse (a millisecond or more): only worth it when well ahead.
        if (ahead > TimeSpan.FromMilliseconds(2)) Thread.Sleep(ahead);
    }
}
