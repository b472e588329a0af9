using Netoops.Collector.Dumps;
using Netoops.Collector.Metrics;

namespace Netoops.Collector.Tests.Dumps;

public sealed class PacketPoolTests
{
    [Fact]
    public void Leases_are_counted_and_a_returned_buffer_is_the_next_one_rented()
    {
        var gauge = new Gauge();
        var pool = new PacketPool(gauge);
        var first = pool.Rent(1412);
        var second = pool.Rent(1412);

        Assert.Equal(2, pool.Leased);
        pool.Return(first);
        Assert.Equal(1, pool.Leased);
        Assert.Same(first, pool.Rent(100));
        Assert.Equal(2, gauge.Value);
        pool.Return(second);
    }

    [Fact]
    public void A_buffer_returned_twice_is_caught_and_never_handed_to_two_renters()
    {
        // The static pool before this pushed it twice: two packets would then share one buffer.
        var pool = new PacketPool();
        var buffer = pool.Rent(1412);
        pool.Return(buffer);
        pool.Return(buffer);

        Assert.Equal(1, pool.DoubleReturns);
        Assert.Equal(0, pool.Leased);
        Assert.NotSame(pool.Rent(1412), pool.Rent(1412));
    }

    [Fact]
    public void A_datagram_larger_than_a_buffer_gets_its_own_array_outside_the_pool()
    {
        var pool = new PacketPool();
        var big = pool.Rent(PacketPool.BufferSize + 1);

        Assert.Equal(PacketPool.BufferSize + 1, big.Length);
        Assert.Equal(0, pool.Leased);
        pool.Return(big);
        Assert.Equal(0, pool.DoubleReturns);
    }
}
