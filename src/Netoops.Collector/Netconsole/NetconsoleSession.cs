using System.Runtime.CompilerServices;
using System.Text;
using Netoops.Collector.Ingest;
using Netoops.Collector.Metrics;
using Netoops.Protocol.Kmsg;
using Netoops.Protocol.Netconsole;

namespace Netoops.Collector.Netconsole;

/// <summary>
/// One netconsole sender (source address and port), owned by the netconsole receive thread: the
/// format it speaks (settled by its agreeing majority, <see cref="FormatMajority"/>), ncfrag reassembly, sequence tracking, the
/// recent lines, and the capture of a crash report from its opening marker to its end.
/// The common extended datagram (<see cref="CommonMessage"/>) is handled in place without
/// allocating; strings are made only for lines a capture keeps.
/// </summary>
public sealed class NetconsoleSession
{
    public sealed record Settings(int ContextLines, int MaxReportLines, TimeSpan ReportQuiet);

    private readonly Settings _settings;
    private readonly CollectorMetrics _metrics;
    private readonly Action<AnalyzeStreamCrash> _reportCrash;
    private readonly string _host;
    private readonly string _source;
    /// <summary>The host's recent lines for the API's tail, shared by every sender on that host.</summary>
    private readonly NetconsoleTails.Tail _recent;
    /// <summary>The host's loss accounting (shared, like its tail, by every sender on that host).</summary>
    private readonly HostStream _stream;
    /// <summary>
    /// This sender's own recent lines: a report's context. Not the host's tail, which interleaves
    /// the host's other senders (a basic and an extended target carry the same lines twice).
    /// </summary>
    private readonly LineRing _context;
    private readonly FragmentReassembler _fragments;
    private readonly SequenceTracker _sequence = new();
    /// <summary>Lines added since the last capture ended: context never reaches back into a previous report.</summary>
    private int _sinceCapture;
    private readonly StringBuilder _partialLine = new();
    private readonly FormatMajority _format = new();
    private string? _release;
    private List<string>? _capture;
    private DateTimeOffset _captureStarted;

    public NetconsoleSession(SourceAddress source, Settings settings, CollectorMetrics metrics, NetconsoleTails tails,
        Action<AnalyzeStreamCrash> reportCrash, FragmentBudget? fragmentBudget = null)
    {
        _fragments = new FragmentReassembler(budget: fragmentBudget);
        _settings = settings;
        _metrics = metrics;
        _reportCrash = reportCrash;
        _host = source.HostText();
        _source = source.ToString();
        _recent = tails.For(_host);
        _stream = _recent.Stream;
        _context = new LineRing(settings.ContextLines + 1, (settings.ContextLines + 1) * NetconsoleTails.BytesPerLine);
    }

    public DateTimeOffset LastSeen { get; private set; }

    /// <summary>Null when used, else the refusal code for the receive loop's counters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string? OnDatagram(ReadOnlyMemory<byte> datagram, DateTimeOffset now)
    {
        LastSeen = now;
        if (CommonMessage.TryRead(datagram.Span, out var common))
        {
            if (!_format.Admit(extended: true)) return "format_minority";
            OnCommonMessage(common, now);
            return null;
        }
        var error = ExtendedParser.TryParseDatagram(datagram, out var parsed);
        var extended = error == RecordError.None;
        if (!extended && !_format.SettledBasic && FormatMajority.ClaimsExtended(datagram.Span)) return error.Code();
        // Outvoted: an extended datagram in a basic stream, or what fails to parse in an extended one.
        if (!_format.Admit(extended)) return extended ? "format_minority" : error.Code();
        if (!extended)
        {
            OnBasicText(datagram.Span, now);
            return null;
        }
        var dropped = _fragments.Evicted + _fragments.Expired;
        var outcome = _fragments.Add(parsed, now, out var message);
        CountDropped(dropped);
        switch (outcome)
        {
            case FragmentOutcome.Completed:
                if (parsed.Fragment is not null) _metrics.NetconsoleFragmentsReassembled.Increment();
                OnMessage(message!, now);
                return null;
            case FragmentOutcome.Pending:
            case FragmentOutcome.Duplicate:
                return null;
            case FragmentOutcome.Inconsistent: return "inconsistent_fragment";
            case FragmentOutcome.TooLong: return "fragment_too_long";
            case FragmentOutcome.OverBudget: return "fragment_budget";
            default: return "malformed_message";
        }
    }

    private void CountDropped(int before)
    {
        var now = _fragments.Evicted + _fragments.Expired;
        if (now != before) _metrics.NetconsoleFragmentsDropped.Add(now - before);
    }

    /// <summary>The session is swept: what its incomplete messages hold goes back to the shared budget.</summary>
    public void Close() => _fragments.Clear();

    /// <summary>Time passes without datagrams: a capture with no end marker ends after a quiet spell.</summary>
    public void OnTick(DateTimeOffset now)
    {
        var dropped = _fragments.Evicted + _fragments.Expired;
        _fragments.Expire(now);
        CountDropped(dropped);
        if (_capture is not null && now - LastSeen >= _settings.ReportQuiet) FinishCapture(ended: false);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnCommonMessage(CommonMessage message, DateTimeOffset now)
    {
        _metrics.NetconsoleMessages.Increment();
        _stream.Message(now);
        if (!Sequenced(message.Sequence, message.TimestampMicros)) return;
        if (!message.Release.IsEmpty) _release = Remember(_release, message.Release);
        if (!message.Dictionary.IsEmpty && message.DictionaryValue("release="u8) is { IsEmpty: false } release)
            _release = Remember(_release, release);
        _stream.Release(_release);
        // Plain ASCII by construction: stored and searched as it came, never a string unless captured.
        var text = message.Text;
        _recent.Add(text);
        _context.Add(text);
        _sinceCapture++;
        if (_capture is not null) Capture(Encoding.ASCII.GetString(text));
        else if (CrashTrigger.OpensReport(text)) StartCapture(now);
    }

    private void OnMessage(ExtendedMessage message, DateTimeOffset now)
    {
        _metrics.NetconsoleMessages.Increment();
        _stream.Message(now);
        if (message.OddDictionaryLines > 0) _metrics.NetconsoleOddDictionaryLines.Add(message.OddDictionaryLines);
        var record = message.Record;
        if (!Sequenced(record.Sequence, record.TimestampMicros)) return;
        _release = message.Release ?? _release;
        foreach (var (key, value) in record.Dictionary)
            if (key == "release") _release = value;
        _stream.Release(_release);
        var text = record.Text;
        if (!text.Contains('\n'))
        {
            OnLine(text, now);
            return;
        }
        foreach (var line in text.Split('\n')) OnLine(line, now);
    }

    /// <summary>Follows the sequence numbers; false for a duplicate, which is dropped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Sequenced(ulong sequence, ulong timestampMicros)
    {
        switch (_sequence.Observe(sequence, timestampMicros))
        {
            case SequenceVerdict.Duplicate:
                _metrics.NetconsoleDuplicateMessages.Increment();
                _stream.Duplicate();
                return false;
            case SequenceVerdict.Late:
                _metrics.NetconsoleLateMessages.Increment();
                _stream.Late();
                break;
            case SequenceVerdict.Gap:
                _metrics.NetconsoleSequenceGaps.Increment();
                _metrics.NetconsoleMissingMessages.Add((long)_sequence.LastGap);
                _stream.Gap(_sequence.LastGap);
                break;
            case SequenceVerdict.Reset:
                _metrics.NetconsoleSequenceResets.Increment();
                _stream.Reset();
                if (_capture is not null) FinishCapture(ended: false);
                break;
        }
        return true;
    }

    /// <summary>The release as a string, made anew only when the sender's release changes.</summary>
    private static string Remember(string? known, ReadOnlySpan<byte> release) =>
        known is not null && Encoding.ASCII.GetByteCount(known) == release.Length && Ascii.Equals(release, known)
            ? known
            : Encoding.ASCII.GetString(release);

    private void OnBasicText(ReadOnlySpan<byte> bytes, DateTimeOffset now)
    {
        _metrics.NetconsoleMessages.Increment();
        _stream.Message(now);
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
        _recent.Add(line);
        _context.Add(line);
        _sinceCapture++;
        if (_capture is not null) Capture(line);
        else if (CrashTrigger.OpensReport(line)) StartCapture(now);
    }

    private void Capture(string line)
    {
        _capture!.Add(line);
        if (CrashTrigger.ClosesReport(line)) FinishCapture(ended: true);
        else if (_capture.Count >= _settings.MaxReportLines) FinishCapture(ended: false);
    }

    /// <summary>The newest recent line opens a report; the ones before it are its context.</summary>
    private void StartCapture(DateTimeOffset now)
    {
        _capture = [.. _context.ToArray(Math.Min(_settings.ContextLines, _sinceCapture - 1) + 1)];
        _captureStarted = now;
    }

    private void FinishCapture(bool ended)
    {
        var lines = _capture!;
        _capture = null;
        _sinceCapture = 0;
        _reportCrash(new AnalyzeStreamCrash(_host, _source, _captureStarted, _release, lines, ended));
    }
}
