using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Unicode;
using Netoops.Collector.Ingest.Native;
using Netoops.Protocol.Kmsg;
using Netoops.Protocol.Netconsole;

namespace Netoops.Collector.Loadgen;

/// <summary>
/// The fleet's extended netconsole streams, fast enough to load a collector from one core: one
/// socket sends for every host (each datagram names its host's 127.1.x.y source address with
/// IP_PKTINFO, so hosts interleave as a real fleet's do), messages are written in place into a
/// sendmmsg batch, and one system call carries up to <see cref="BatchSize"/> datagrams.
/// </summary>
internal sealed class StreamSender(FleetSettings settings, IPEndPoint target)
{
    public const int BatchSize = 64;

    private sealed class Host(int index, Impairment? impairment)
    {
        public readonly uint Address = FleetSimulator.HostAddressValue(index);
        public readonly Queue<string> ReportLines = new();
        public readonly Impairment? Impairment = impairment;
        public ulong Sequence;
    }

    private readonly DatagramBatch _batch = new(BatchSize, NetconsoleBasic.MaxChunk + 64);
    private readonly uint _target = (uint)IPAddress.NetworkToHostOrder(BitConverter.ToInt32(target.Address.GetAddressBytes()));
    private readonly List<ReadOnlyMemory<byte>> _impaired = [];
    private int _filled;
    private long _sent;

    public (long Messages, long Datagrams, long Crashes) Run(Func<string, IEnumerable<string>> report, CancellationToken ct)
    {
        if (target.AddressFamily != AddressFamily.InterNetwork)
            throw new ArgumentException("the fleet's netconsole streams go to an IPv4 address (hosts are 127.1.x.y)");
        var impaired = settings.Loss > 0 || settings.Duplicate > 0 || settings.Reorder > 0;
        var hosts = new Host[settings.Hosts];
        for (var i = 0; i < hosts.Length; i++)
            hosts[i] = new Host(i, impaired ? new Impairment(settings.Loss, settings.Duplicate, settings.Reorder, settings.Seed + 1 + i) : null);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, settings.StreamSourcePort));
        var handle = socket.SafeHandle;
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var fd = (int)handle.DangerousGetHandle();
            var pacer = new Pacer(settings.MessagesPerSecond);
            long messages = 0, crashes = 0;
            var limit = settings.MaxMessages > 0 ? settings.MaxMessages : long.MaxValue;
            while (messages < limit && !pacer.Done(settings.Duration) && !ct.IsCancellationRequested)
            {
                pacer.WaitFor(messages);
                for (var k = 0; k < BatchSize && messages < limit; k++, messages++)
                {
                    var host = hosts[messages % hosts.Length];
                    if (settings.CrashEveryMessages > 0 && messages % settings.CrashEveryMessages == settings.CrashEveryMessages - 1)
                    {
                        foreach (var line in report(FleetSimulator.CrashFunction(crashes))) host.ReportLines.Enqueue(line);
                        crashes++;
                    }
                    SendMessage(fd, host);
                }
                Flush(fd);
            }
            foreach (var host in hosts)
            {
                _impaired.Clear();
                host.Impairment?.Drain(_impaired);
                foreach (var datagram in _impaired) Queue(fd, host, datagram.Span);
            }
            Flush(fd);
            return (messages, _sent, crashes);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private void SendMessage(int fd, Host host)
    {
        var sequence = host.Sequence++;
        var timestamp = 1_000_000 + sequence * 1000;
        if (host.ReportLines.TryDequeue(out var line))
        {
            // Crash reports are rare: the protocol's own writer, allocation and all.
            foreach (var datagram in ExtendedWriter.Write(new KmsgRecord(6, sequence, timestamp, line)))
                Send(fd, host, datagram);
            return;
        }
        if (host.Impairment is null)
        {
            var slot = NextSlot(fd);
            var length = Heartbeat(_batch.Slot(slot), host, sequence, timestamp);
            _batch.PrepareSend(slot, length, _target, (ushort)target.Port, host.Address);
            return;
        }
        var scratch = new byte[_batch.SlotBytes];
        Send(fd, host, scratch[..Heartbeat(scratch, host, sequence, timestamp)]);
    }

    /// <summary>One ordinary log line, padded to the fleet's message size: <c>6,seq,ts,-;app[h]: heartbeat …\n</c>.</summary>
    private int Heartbeat(Span<byte> into, Host host, ulong sequence, ulong timestamp)
    {
        var index = (host.Address & 0xff) - 1 + ((host.Address >> 8) & 0xff) * 250;
        Utf8.TryWrite(into, $"6,{sequence},{timestamp},-;app[{index}]: heartbeat {sequence} all quiet on host {index} ", out var written);
        var size = Math.Clamp(settings.MessageBytes, written + 1, into.Length);
        into[written..(size - 1)].Fill((byte)'.');
        into[size - 1] = (byte)'\n';
        return size;
    }

    /// <summary>A datagram through the host's simulated network (when impaired) into the batch.</summary>
    private void Send(int fd, Host host, byte[] datagram)
    {
        if (host.Impairment is null) { Queue(fd, host, datagram); return; }
        _impaired.Clear();
        host.Impairment.Pass(datagram, _impaired);
        foreach (var d in _impaired) Queue(fd, host, d.Span);
    }

    private void Queue(int fd, Host host, ReadOnlySpan<byte> datagram)
    {
        var slot = NextSlot(fd);
        datagram.CopyTo(_batch.Slot(slot));
        _batch.PrepareSend(slot, datagram.Length, _target, (ushort)target.Port, host.Address);
    }

    private int NextSlot(int fd)
    {
        if (_filled == BatchSize) Flush(fd);
        return _filled++;
    }

    private unsafe void Flush(int fd)
    {
        var done = 0;
        while (done < _filled)
        {
            var sent = MessageSyscalls.SendMany(fd, _batch.Headers + done, (uint)(_filled - done), 0);
            if (sent > 0) { done += sent; continue; }
            var errno = Marshal.GetLastPInvokeError();
            // A full device queue or an interrupted call: the datagrams are still ours to send.
            if (errno is MessageSyscalls.EIntr or MessageSyscalls.EAgain or MessageSyscalls.ENoBufs) { Thread.Yield(); continue; }
            throw new SocketException(errno);
        }
        _sent += _filled;
        _filled = 0;
    }
}
