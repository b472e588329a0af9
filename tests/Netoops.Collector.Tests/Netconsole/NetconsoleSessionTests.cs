using System.Text;
using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;
using Netoops.Collector.Netconsole;

namespace Netoops.Collector.Tests.Netconsole;

public sealed class NetconsoleSessionTests
{
    private readonly List<AnalyzeStreamCrash> _reports = [];
    private readonly CollectorMetrics _metrics = new();
    private readonly NetconsoleTails _tails = new(linesPerHost: 10, maxHosts: 10);
    private readonly NetconsoleSession _session;
    private ulong _sequence;

    public NetconsoleSessionTests() =>
        _session = new NetconsoleSession(SourceAddress.FromV4(0x7f000001, 6665),
            new NetconsoleSession.Settings(ContextLines: 3, MaxReportLines: 50, ReportQuiet: TimeSpan.FromSeconds(2)),
            _metrics, _tails, _reports.Add);

    private void Send(string text) =>
        Assert.Null(_session.OnDatagram(Encoding.ASCII.GetBytes($"6,{_sequence++},{_sequence * 1000},-;{text}\n"), DateTimeOffset.UnixEpoch));

    [Fact]
    public void A_report_keeps_the_configured_number_of_lines_before_it_and_none_from_the_previous_report()
    {
        foreach (var i in Enumerable.Range(0, 6)) Send($"before {i}");
        Send("WARNING: CPU: 0 PID: 1 at a.c:1 first+0x1/0x2");
        Send("---[ end trace 0000000000000000 ]---");
        Send("between");
        Send("WARNING: CPU: 0 PID: 1 at b.c:2 second+0x1/0x2");
        Send("---[ end trace 0000000000000000 ]---");

        Assert.Equal(2, _reports.Count);
        Assert.Equal(["before 3", "before 4", "before 5", "WARNING: CPU: 0 PID: 1 at a.c:1 first+0x1/0x2", "---[ end trace 0000000000000000 ]---"], _reports[0].Lines);
        Assert.Equal(["between", "WARNING: CPU: 0 PID: 1 at b.c:2 second+0x1/0x2", "---[ end trace 0000000000000000 ]---"], _reports[1].Lines);
        Assert.All(_reports, r => Assert.True(r.Ended));
    }

    [Fact]
    public void One_spoofed_basic_datagram_first_does_not_make_an_extended_stream_basic()
    {
        // On main before this, the first datagram decided the format for the session's life: this
        // one made every extended message that followed raw text, release and report lost.
        _session.OnDatagram("spoofed plain text\n"u8.ToArray(), DateTimeOffset.UnixEpoch);
        foreach (var i in Enumerable.Range(0, 6)) Send($"line {i}");
        Send("WARNING: CPU: 0 PID: 1 at a.c:1 first+0x1/0x2");
        Send("---[ end trace 0000000000000000 ]---");

        var report = Assert.Single(_reports);
        Assert.Equal("WARNING: CPU: 0 PID: 1 at a.c:1 first+0x1/0x2", report.Lines[^2]);
        Assert.DoesNotContain(_tails.Snapshot("127.0.0.1"), line => line.StartsWith("6,"));
    }

    [Fact]
    public void Once_a_stream_is_settled_extended_a_basic_datagram_is_refused_not_read()
    {
        foreach (var i in Enumerable.Range(0, FormatMajority.SettleMargin)) Send($"line {i}");

        Assert.Equal("missing_semicolon", _session.OnDatagram("WARNING: forged plain text\n"u8.ToArray(), DateTimeOffset.UnixEpoch));
        Send("after");
        Assert.DoesNotContain(_tails.Snapshot("127.0.0.1"), line => line.Contains("forged"));
        Assert.Empty(_reports);
    }

    [Fact]
    public void A_basic_stream_stays_basic_and_an_extended_datagram_in_it_is_the_outvoted_minority()
    {
        foreach (var i in Enumerable.Range(0, FormatMajority.SettleMargin)) _session.OnDatagram(Encoding.ASCII.GetBytes($"plain {i}\n"), DateTimeOffset.UnixEpoch);

        Assert.Equal("format_minority", _session.OnDatagram("6,1,1,-;forged extended\n"u8.ToArray(), DateTimeOffset.UnixEpoch));
        _session.OnDatagram("12,34 a basic line cut at 1000 bytes goes on\n"u8.ToArray(), DateTimeOffset.UnixEpoch);
        var tail = _tails.Snapshot("127.0.0.1");
        Assert.Contains("plain 3", tail);
        Assert.Contains("12,34 a basic line cut at 1000 bytes goes on", tail);
        Assert.DoesNotContain(tail, line => line.Contains("forged"));
    }

    [Fact]
    public void A_dictionary_line_without_the_kernels_leading_space_keeps_its_message_and_is_counted()
    {
        // netconsd's ncrx/netcons-gen.py writes its dictionary line so; netconsd prints every such message.
        Send("first line");
        Assert.Null(_session.OnDatagram(Encoding.ASCII.GetBytes($"6,{_sequence++},5000,-;generated message\nSUBSYSTEM=net\nnot a pair\n"), DateTimeOffset.UnixEpoch));

        Assert.Equal(2, _metrics.NetconsoleMessages.Value);
        Assert.Equal(2, _metrics.NetconsoleOddDictionaryLines.Value);
        Assert.Contains("generated message", string.Join("\n", _tails.Snapshot("127.0.0.1")));
    }

    [Fact]
    public void The_numbers_a_gap_skips_reach_the_missing_messages_counter()
    {
        _sequence = 1000;
        Send("0");
        _sequence += 5;  // 5 skipped
        Send("6");
        _sequence += 2;  // 2 more
        Send("9");
        _sequence = 1;   // a reset (reboot) does not take the count back
        Send("again");

        Assert.Equal(2, _metrics.NetconsoleSequenceGaps.Value);
        Assert.Equal(7, _metrics.NetconsoleMissingMessages.Value);
        Assert.Equal(1, _metrics.NetconsoleSequenceResets.Value);
    }

    [Fact]
    public void Two_senders_on_one_host_each_get_only_their_own_lines_as_context()
    {
        // A host with a basic and an extended target sends every line twice, from two ports.
        var basic = new NetconsoleSession(SourceAddress.FromV4(0x7f000001, 6666),
            new NetconsoleSession.Settings(ContextLines: 3, MaxReportLines: 50, ReportQuiet: TimeSpan.FromSeconds(2)),
            _metrics, _tails, _reports.Add);
        void Both(string line)
        {
            Send(line);
            basic.OnDatagram(Encoding.ASCII.GetBytes(line + "\n"), DateTimeOffset.UnixEpoch);
        }
        Both("context one");
        Both("context two");
        Both("WARNING: CPU: 0 PID: 1 at a.c:1 first+0x1/0x2");
        Both("---[ end trace 0000000000000000 ]---");

        Assert.Equal(2, _reports.Count);
        Assert.All(_reports, r => Assert.Equal(
            ["context one", "context two", "WARNING: CPU: 0 PID: 1 at a.c:1 first+0x1/0x2", "---[ end trace 0000000000000000 ]---"], r.Lines));
        Assert.Equal(8, _tails.Snapshot("127.0.0.1").Count); // the host's tail still shows both
    }

    [Fact]
    public void Escaped_lines_taken_by_the_full_parser_stay_in_order_with_the_common_ones()
    {
        Send("plain one");
        Send("caf\\xc3\\xa9 au lait");
        Send("plain two");

        Assert.Equal(["plain one", "café au lait", "plain two"], _tails.Snapshot("127.0.0.1"));
        Assert.Equal(3, _metrics.NetconsoleMessages.Value);
    }

    [Fact]
    public void A_duplicated_datagram_is_dropped_and_the_tail_shows_it_once()
    {
        var datagram = Encoding.ASCII.GetBytes("6,7,7000,-;only once\n");
        _session.OnDatagram(datagram, DateTimeOffset.UnixEpoch);
        _session.OnDatagram(datagram, DateTimeOffset.UnixEpoch);

        Assert.Equal(["only once"], _tails.Snapshot("127.0.0.1"));
        Assert.Equal(1, _metrics.NetconsoleDuplicateMessages.Value);
    }

    [Fact]
    public void A_message_overtaken_by_the_next_one_is_counted_late_and_fills_its_gap()
    {
        _session.OnDatagram("6,1,1000,-;first\n"u8.ToArray(), DateTimeOffset.UnixEpoch);
        _session.OnDatagram("6,3,3000,-;third\n"u8.ToArray(), DateTimeOffset.UnixEpoch);
        _session.OnDatagram("6,2,2000,-;second\n"u8.ToArray(), DateTimeOffset.UnixEpoch);

        Assert.Equal(1, _metrics.NetconsoleSequenceGaps.Value);
        Assert.Equal(1, _metrics.NetconsoleLateMessages.Value);
        Assert.Equal(0, _metrics.NetconsoleDuplicateMessages.Value);
    }
}
