using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using Netoops.Actors.Ports;

namespace Netoops.Actors.Tests.Doubles;

/// <summary>
/// A netpoll port the test controls: each setup either completes at once (the default) or waits
/// until the test releases it, so races with setup in flight can be staged exactly.
/// </summary>
public sealed class FakeNetpoll : INetpoll
{
    private readonly ConcurrentQueue<PendingSetup> _pending = new();
    private int _nextIndex = 10;

    /// <summary>When true, setups wait for <see cref="CompleteNext"/> / <see cref="FailNext"/>.</summary>
    public bool Manual { get; init; }

    public ConcurrentBag<FakeChannel> Channels { get; } = [];
    public ConcurrentQueue<SetupRequest> Requests { get; } = new();

    public Task<SetupResult> SetupAsync(SetupRequest request, CancellationToken cancel)
    {
        Requests.Enqueue(request);
        var pending = new PendingSetup(request, cancel);
        if (!Manual)
            return Task.FromResult<SetupResult>(Succeed(request));
        _pending.Enqueue(pending);
        return pending.Completion.Task;
    }

    public int PendingCount => _pending.Count;

    public FakeChannel CompleteNext()
    {
        if (!_pending.TryDequeue(out var p)) throw new InvalidOperationException("no setup pending");
        var ok = Succeed(p.Request);
        p.Completion.SetResult(ok);
        return (FakeChannel)ok.Channel;
    }

    public void FailNext(string error, bool busy = false)
    {
        if (!_pending.TryDequeue(out var p)) throw new InvalidOperationException("no setup pending");
        p.Completion.SetResult(new SetupFailed(error, busy));
    }

    public static PhysicalAddress MacOf(int index) => new([0x02, 0, 0, 0, 0, (byte)index]);

    private SetupSucceeded Succeed(SetupRequest request)
    {
        var channel = new FakeChannel(request.Target);
        Channels.Add(channel);
        var index = Interlocked.Increment(ref _nextIndex);
        return new SetupSucceeded(channel, new NetDevice(index, request.DevName, MacOf(index)),
            request.LocalIp ?? IPAddress.Parse("192.0.2.1"), CarrierUp: true);
    }

    private sealed record PendingSetup(SetupRequest Request, CancellationToken Cancel)
    {
        public TaskCompletionSource<SetupResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>Records every datagram and every close; can be told to fail sends or close slowly.</summary>
public sealed class FakeChannel(string target) : IDatagramChannel
{
    private int _closes;
    private int _sent;

    public string Target { get; } = target;
    public int Closes => Volatile.Read(ref _closes);
    public int Sent => Volatile.Read(ref _sent);
    public bool FailSends { get; set; }
    public bool ThrowOnSend { get; set; }
    /// <summary>The next this-many sends find the socket buffer full (EAGAIN).</summary>
    public int FullFor { get; set; }
    public TaskCompletionSource? HoldClose { get; set; }
    public ConcurrentQueue<byte[]> Datagrams { get; } = new();

    public SendResult Send(ReadOnlySpan<byte> datagram)
    {
        if (ThrowOnSend) throw new InvalidOperationException("transport exploded");
        if (Closes > 0) return SendResult.Failed("closed");
        if (FailSends) return SendResult.Failed("ENOBUFS");
        if (FullFor > 0)
        {
            FullFor--;
            return SendResult.Full;
        }
        Datagrams.Enqueue(datagram.ToArray());
        Interlocked.Increment(ref _sent);
        return SendResult.Sent;
    }

    public Task CloseAsync()
    {
        Interlocked.Increment(ref _closes);
        return HoldClose?.Task ?? Task.CompletedTask;
    }
}
