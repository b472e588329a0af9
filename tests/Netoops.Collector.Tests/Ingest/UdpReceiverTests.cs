using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;
using Netoops.Collector.Tests.Support;

namespace Netoops.Collector.Tests.Ingest;

public sealed class UdpReceiverTests
{
    /// <summary>
    /// Records what the loop delivers. Its first datagram holds the loop until the test lets go, so
    /// that everything sent meanwhile waits in the socket and must come out in full batches.
    /// </summary>
    private sealed class RecordingSink : IDatagramSink
    {
        public readonly ManualResetEventSlim Release = new();
        public readonly List<(int Number, SourceAddress Source)> Datagrams = [];
        public readonly List<int> Batches = [];
        private int _inBatch;

        public string? OnDatagram(ReadOnlyMemory<byte> datagram, in SourceAddress source)
        {
            if (Datagrams.Count == 0) Release.Wait(TimeSpan.FromSeconds(10));
            lock (Datagrams) Datagrams.Add((BinaryPrimitives.ReadInt32LittleEndian(datagram.Span), source));
            _inBatch++;
            return datagram.Length == 4 ? null : "not_four_bytes";
        }

        public void OnBatchEnd()
        {
            lock (Datagrams) Batches.Add(_inBatch);
            _inBatch = 0;
        }

        public void OnIdle() { }

        public int Count { get { lock (Datagrams) return Datagrams.Count; } }
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.2")]
    [InlineData("::1", "::1")]
    public async Task A_burst_larger_than_a_batch_arrives_whole_in_order_with_each_sender_address(string receiveOn, string secondSender)
    {
        var metrics = new IngestMetrics("test");
        var sink = new RecordingSink();
        var bind = IPAddress.Parse(receiveOn);
        using var receiver = new UdpReceiver(new IPEndPoint(bind, 0), 8 << 20, SourceAllowlist.Everyone,
            new SourceRateLimiter(0, 0), sink, metrics, NullLogger.Instance);
        using var first = Sender(bind);
        using var second = Sender(IPAddress.Parse(secondSender));
        const int total = 5 * UdpReceiver.BatchSize + 7;

        for (var n = 0; n < total; n++)
            (n % 3 == 0 ? second : first).SendTo(BitConverter.GetBytes(n), receiver.LocalEndPoint);
        sink.Release.Set();
        await Eventually(() => sink.Count == total);

        Assert.Equal(Enumerable.Range(0, total), sink.Datagrams.Select(d => d.Number));
        foreach (var (number, source) in sink.Datagrams)
        {
            var expected = (IPEndPoint)(number % 3 == 0 ? second : first).LocalEndPoint!;
            Assert.Equal(expected, new IPEndPoint(source.ToIPAddress(), source.Port));
        }
        Assert.Equal(UdpReceiver.BatchSize, sink.Batches.Max());
        Assert.Equal(total, sink.Batches.Sum());
        await Eventually(() => metrics.Accepted.Value == total);
        Assert.Equal(total, metrics.Received.Value);
        Assert.Equal(4L * total, metrics.Bytes.Value);
    }

    [Fact]
    public async Task A_datagram_longer_than_a_slot_is_refused_as_oversized_and_the_next_one_still_arrives()
    {
        var metrics = new IngestMetrics("test");
        var sink = new RecordingSink();
        sink.Release.Set();
        using var receiver = new UdpReceiver(new IPEndPoint(IPAddress.Loopback, 0), 1 << 20, SourceAllowlist.Everyone,
            new SourceRateLimiter(0, 0), sink, metrics, NullLogger.Instance);
        using var sender = Sender(IPAddress.Loopback);

        sender.SendTo(new byte[UdpReceiver.MaxDatagram + 1], receiver.LocalEndPoint);
        sender.SendTo(BitConverter.GetBytes(7), receiver.LocalEndPoint);
        await Eventually(() => metrics.Received.Value == 2);

        Assert.Equal(1, metrics.Invalid["oversized"].Value);
        Assert.Equal(1, metrics.Accepted.Value);
        Assert.Equal([7], sink.Datagrams.Select(d => d.Number));
    }

    [Fact]
    public async Task A_quiet_socket_gives_the_sink_idle_ticks()
    {
        var sink = new IdleCounter();
        using var receiver = new UdpReceiver(new IPEndPoint(IPAddress.Loopback, 0), 1 << 20, SourceAllowlist.Everyone,
            new SourceRateLimiter(0, 0), sink, new IngestMetrics("test"), NullLogger.Instance);

        await Eventually(() => Volatile.Read(ref sink.Ticks) >= 2);
    }

    [Fact]
    public void As_root_the_receive_buffer_goes_past_the_system_maximum()
    {
        var systemMaximum = int.Parse(File.ReadAllText("/proc/sys/net/core/rmem_max").Trim());
        var asked = systemMaximum * 2 + 4096;
        using var receiver = new UdpReceiver(new IPEndPoint(IPAddress.Loopback, 0), asked, SourceAllowlist.Everyone,
            new SourceRateLimiter(0, 0), new IdleCounter(), new IngestMetrics("test"), NullLogger.Instance);

        if (Environment.UserName == "root")
            Assert.True(receiver.EffectiveReceiveBuffer >= asked, $"asked {asked}, got {receiver.EffectiveReceiveBuffer} (SO_RCVBUFFORCE not applied)");
        else // without CAP_NET_ADMIN the kernel caps SO_RCVBUF at rmem_max (and reports twice that)
            Assert.True(receiver.EffectiveReceiveBuffer <= 2 * systemMaximum);
    }

    [Fact]
    public async Task As_root_the_receive_thread_runs_above_the_rest_of_the_process()
    {
        var metrics = new IngestMetrics("nicetest");
        using var receiver = new UdpReceiver(new IPEndPoint(IPAddress.Loopback, 0), 1 << 20, SourceAllowlist.Everyone,
            new SourceRateLimiter(0, 0), new IdleCounter(), metrics, NullLogger.Instance);

        int? KernelNice() => ThreadNiceValues.OfThisProcess().Where(t => t.Name == "udp-nicetest").Select(t => (int?)t.Nice).FirstOrDefault();
        await Eventually(() => KernelNice() is not null && metrics.ReceiveThreadNice.Value == KernelNice());

        if (Environment.UserName == "root")
            Assert.Equal(UdpReceiver.ReceiveThreadNice, KernelNice());
        else // without CAP_SYS_NICE the thread keeps the process's priority
            Assert.True(KernelNice() >= 0);
    }

    private sealed class IdleCounter : IDatagramSink
    {
        public int Ticks;
        public string? OnDatagram(ReadOnlyMemory<byte> datagram, in SourceAddress source) => null;
        public void OnIdle() => Interlocked.Increment(ref Ticks);
    }

    private static Socket Sender(IPAddress address)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return socket;
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(10);
        }
    }
}
