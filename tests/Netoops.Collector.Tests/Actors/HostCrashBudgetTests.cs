using Netoops.Collector.Actors;

namespace Netoops.Collector.Tests.Actors;

public sealed class HostCrashBudgetTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch.AddDays(20000);

    [Fact]
    public void A_host_gets_its_crashes_a_minute_then_each_more_is_counted_and_another_host_is_untouched()
    {
        var budget = new HostCrashBudget(crashesPerMinute: 3, bytesPerMinute: 0);

        var loud = Enumerable.Range(0, 10).Count(_ => budget.TryTake("10.0.0.1", 100, T0));

        Assert.Equal(3, loud);
        Assert.Equal(7, budget.OverLimit("10.0.0.1"));
        Assert.True(budget.TryTake("10.0.0.2", 100, T0));
        Assert.Equal(0, budget.OverLimit("10.0.0.2"));
    }

    [Fact]
    public void The_budget_refills_with_time()
    {
        var budget = new HostCrashBudget(crashesPerMinute: 60, bytesPerMinute: 0);
        while (budget.TryTake("h", 1, T0)) { }

        Assert.False(budget.TryTake("h", 1, T0.AddMilliseconds(500)));
        Assert.True(budget.TryTake("h", 1, T0.AddSeconds(1)));
        Assert.Equal(Enumerable.Repeat(true, 60), Enumerable.Range(0, 60).Select(_ => budget.TryTake("h", 1, T0.AddMinutes(5))));
    }

    [Fact]
    public void Bytes_are_a_budget_of_their_own_and_one_crash_larger_than_all_of_it_still_gets_in_on_a_full_budget()
    {
        var budget = new HostCrashBudget(crashesPerMinute: 0, bytesPerMinute: 1000);

        Assert.True(budget.TryTake("h", 600, T0));
        Assert.False(budget.TryTake("h", 600, T0));
        Assert.True(budget.TryTake("big", 5000, T0));
        Assert.False(budget.TryTake("big", 1, T0));
    }

    [Fact]
    public void The_table_of_hosts_stays_bounded_when_every_tracked_host_is_over_its_budget()
    {
        // Before this, a host past the bound was added anyway: the table grew with every address.
        var budget = new HostCrashBudget(crashesPerMinute: 1, bytesPerMinute: 0, maxHosts: 3);
        foreach (var host in new[] { "a", "b", "c" })
        {
            budget.TryTake(host, 1, T0);
            budget.TryTake(host, 1, T0); // over
        }

        Assert.True(budget.TryTake("d", 1, T0));
        Assert.Equal(3, budget.Hosts);
        Assert.Equal(1, budget.Untracked);
    }

    [Fact]
    public void Zero_is_no_limit()
    {
        var budget = new HostCrashBudget(0, 0);

        Assert.All(Enumerable.Range(0, 1000), _ => Assert.True(budget.TryTake("h", 1 << 20, T0)));
    }
}
