using Netoops.Protocol.Kmsg;
using Netoops.Protocol.Netconsole;

namespace Netoops.EndToEnd.Tests.Kernel;

/// <summary>
/// Reads what an extended netconsole target received with the project's own parser and
/// fragment reassembler: the real kernel is the sender those were written against.
/// </summary>
public static class ExtendedDatagrams
{
    /// <summary>The messages in sequence order, and a reason for every datagram that did not become one.</summary>
    public static (IReadOnlyList<ExtendedMessage> Messages, IReadOnlyList<string> Refusals) Read(IEnumerable<byte[]> datagrams)
    {
        var messages = new List<ExtendedMessage>();
        var refusals = new List<string>();
        var reassembler = new FragmentReassembler();
        foreach (var datagram in datagrams)
        {
            var error = ExtendedParser.TryParseDatagram(datagram, out var parsed);
            if (error != RecordError.None)
            {
                refusals.Add($"{error.Describe()}: {System.Text.Encoding.UTF8.GetString(datagram)}");
                continue;
            }
            switch (reassembler.Add(parsed, out var message))
            {
                case FragmentOutcome.Completed:
                    messages.Add(message!);
                    break;
                case FragmentOutcome.Pending or FragmentOutcome.Duplicate:
                    break;
                case var outcome:
                    refusals.Add($"fragment of message {parsed.Sequence}: {outcome}");
                    break;
            }
        }
        refusals.AddRange(reassembler.PendingSequences.Select(sequence => $"message {sequence} is missing fragments"));
        return (messages.OrderBy(message => message.Record.Sequence).ToList(), refusals);
    }

    /// <summary>A record's lines as the serial console prints them: one per text line, same timestamp.</summary>
    public static IEnumerable<string> ConsoleLines(KmsgRecord record) =>
        record.Text.Split('\n').Select(line => ConsoleText.Format(record.TimestampMicros, line));
}
