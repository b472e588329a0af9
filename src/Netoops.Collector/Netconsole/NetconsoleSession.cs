using System.Text;
using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;
using Netoops.Protocol.Kmsg;
using Netoops.Protocol.Netconsole;

namespace Netoops.Collector.Netconsole;

/// <summary>
/// One netconsole sender (source address and port), owned by the netconsole receive thread: the
/// format it speaks (decided by its first datagram), ncfrag reassembly, sequence tracking, the
/// recent lines, and the capture of a crash report from its opening marker to its end.
/// </summary>
public sealed class NetconsoleSession(SourceAddress source, NetconsoleSession.Settings settings,
    CollectorMetrics metrics, NetconsoleTails tails, Action<AnalyzeStreamCrash> reportCrash)
{
    public sealed record Settings(int ContextLines, int MaxReportLines, TimeSpan ReportQuiet);

    private enum Format { Unknown, Basic, Extended }

    private readonly string _host = source.HostText();
    private readonly string _source = source.ToString();
    private readonly FragmentReassembler _fragments = new();
    private readonly SequenceTracker _sequence = new();
    private readonly Queue<string> _context = new();
    private readonly StringBuilder _partialLine = new();
    private Format _format;
    private string? _release;
    private List<string>? _capture;
    private DateTimeOffset _captureStarted;

    public DateTimeOffset LastSeen { get; private set; }

    /// <summary>Null when used, else the refusal code for the receive loop's counters.</summary>
    public string? OnDatagram(ReadOnlyMemory<byte> datagram, DateTimeOffset now)
    {
        LastSeen = now;
        if (_format == Format.Unknown)
            _format = ExtendedParser.TryParseDatagram(datagram, out _) == RecordError.None ? Format.Extended : Format.Basic;
        if (_format == Format.Basic)
        {
            OnBasicText(datagram.Span, now);
            return null;
        }
        var error = ExtendedParser.TryParseDatagram(datagram, out var parsed);
        if (error != RecordError.None) return error.Code();
        var outcome = _fragments.Add(parsed, out var message);
        switch (outcome)
        {
            case FragmentOutcome.Completed:
                if (parsed.Fragment is not null) metrics.NetconsoleFragmentsReassembled.Increment();
                OnMessage(message!, now);
                return null;
            case FragmentOutcome.Pending:
            case FragmentOutcome.Duplicate:
                return null;
            case FragmentOutcome.Inconsistent: return "inconsistent_fragment";
            case FragmentOutcome.TooLong: return "fragment_too_long";
            default: return "malformed_message";
        }
    }

    /// <summary>Time passes without datagrams: a capture with no end marker ends after a quiet spell.</summary>
    public void OnTick(DateTimeOffset now)
    {
        if (_capture is not null && now - LastSeen >= settings.ReportQuiet) FinishCapture(ended: false);
    }

    private void OnMessage(ExtendedMessage message, DateTimeOffset now)
    {
        metrics.NetconsoleMessages.Increment();
        var record = message.Record;
        switch (_sequence.Observe(record.Sequence, record.TimestampMicros))
        {
            case SequenceVerdict.Duplicate:
                return;
            case SequenceVerdict.Gap:
                metrics.NetconsoleSequenceGaps.Increment();
                break;
            case SequenceVerdict.Reset:
                metrics.NetconsoleSequenceResets.Increment();
                if (_capture is not null) FinishCapture(ended: false);
                break;
        }
        _release = message.Release ?? _release;
        foreach (var (key, value) in record.Dictionary)
            if (key == "release") _release = value;
        var text = record.Text;
        if (!text.Contains('\n'))
        {
            OnLine(text, now);
            return;
        }
        foreach (var line in text.Split('\n')) OnLine(line, now);
    }

    private void OnBasicText(ReadOnlySpan<byte> bytes, DateTimeOffset now)
    {
        metrics.NetconsoleMessages.Increment();
        // Basic netconsole cuts the log at 1000 bytes, not at line ends: carry the unfinished line.
        _partialLine.Append(Encoding.UTF8.GetString(bytes));
        var text = _partialLine.ToString();
        var last = text.LastIndexOf('\n');
        if (last < 0)
        {
            if (_partialLine.Length > 64 * 1024) { OnLine(text, now); _partialLine.Clear(); }
            return;
        }
        _partialLine.Clear().Append(text, last + 1, text.Length - last - 1);
        foreach (var line in text[..last].Split('\n')) OnLine(line.TrimEnd('\r'), now);
    }

    private void OnLine(string line, DateTimeOffset now)
    {
        tails.Add(_host, line);
        if (_capture is not null)
        {
            _capture.Add(line);
            if (CrashTrigger.ClosesReport(line)) FinishCapture(ended: true);
            else if (_capture.Count >= settings.MaxReportLines) FinishCapture(ended: false);
            return;
        }
        if (CrashTrigger.OpensReport(line))
        {
            _capture = [.. _context, line];
            _captureStarted = now;
            _context.Clear();
            return;
        }
        _context.Enqueue(line);
        if (_context.Count > settings.ContextLines) _context.Dequeue();
    }

    private void FinishCapture(bool ended)
    {
        var lines = _capture!;
        _capture = null;
        reportCrash(new AnalyzeStreamCrash(_host, _source, _captureStarted, _release, lines, ended));
    }
}
