using Netoops.Actors.Netconsole;

namespace Netoops.Actors.Tests.Netconsole;

public class TokenBucketTests
{
    [Fact]
    public void A_full_bucket_allows_a_burst_then_refills_at_the_rate()
    {
        var bucket = new TokenBucket(ratePerSecond: 2, burst: 3);
        var t = TimeSpan.FromSeconds(10);
        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => bucket.TryTake(t)));
        Assert.True(bucket.TryTake(t + TimeSpan.FromSeconds(0.5)));
        Assert.False(bucket.TryTake(t + TimeSpan.FromSeconds(0.5)));
    }

    [Fact]
    public void Saved_tokens_never_exceed_the_burst()
    {
        var bucket = new TokenBucket(ratePerSecond: 100, burst: 2);
        bucket.TryTake(TimeSpan.Zero);
        var later = TimeSpan.FromHours(1);
        Assert.Equal([true, true, false], Enumerable.Range(0, 3).Select(_ => bucket.TryTake(later)));
    }
}
