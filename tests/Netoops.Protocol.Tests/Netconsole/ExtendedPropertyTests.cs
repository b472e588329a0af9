using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Netoops.Protocol.Kmsg;
using Netoops.Protocol.Netconsole;

namespace Netoops.Protocol.Tests.Netconsole;

public class ExtendedPropertyTests
{
    /// <summary>Any string a C# caller can hold as valid UTF-16, stretched up to a few KiB.</summary>
    private static string Text(string? seed, int repeat)
    {
        var valid = new StringBuilder();
        foreach (var c in seed ?? "")
            valid.Append(char.IsSurrogate(c) ? 'x' : c);
        return string.Concat(Enumerable.Repeat(valid.ToString(), 1 + repeat % 60));
    }

    [Property(MaxTest = 300)]
    public bool Any_message_written_and_received_in_any_order_with_duplicates_is_the_same_record(
        string? text, NonNegativeInt repeat, string? userValue, bool continuation, bool withRelease, int shuffleSeed)
    {
        var record = new KmsgRecord(6, 42, 123456, continuation, withRelease ? "T7" : null, Text(text, repeat.Get),
            [new("DEVICE", "+net:eth0")]);
        var userdata = new List<KeyValuePair<string, string>> { new("rack", Text(userValue, 0)) };
        var sysdata = Sysdata.Lines(cpu: 3, taskName: "kworker/0:1");
        var datagrams = ExtendedWriter.Write(record, withRelease ? "6.1.0-56-cloud-amd64" : null, userdata, sysdata);

        var random = new Random(shuffleSeed);
        var arrived = datagrams.Concat(datagrams.Where(_ => random.Next(2) == 0)).OrderBy(_ => random.Next());
        var reassembler = new FragmentReassembler();
        var completed = new List<ExtendedMessage>();
        foreach (var datagram in arrived)
        {
            if (ExtendedParser.TryParseDatagram(datagram, out var parsed) != RecordError.None)
                return false;
            if (reassembler.Add(parsed, out var message) == FragmentOutcome.Completed)
                completed.Add(message!);
        }

        var expected = record with { Dictionary = [.. record.Dictionary, .. userdata, .. sysdata] };
        // A single-datagram message completes once per copy; fragments complete once.
        return completed.Count >= 1
            && completed.All(m => m.Record == expected && m.Release == (withRelease ? "6.1.0-56-cloud-amd64" : null))
            && datagrams.All(d => d.Length <= NetconsoleBasic.MaxChunk)
            && datagrams.All(d => d.All(b => b is >= 0x20 and < 0x7f or (byte)'\n'));
    }

    [Property(MaxTest = 300)]
    public bool Random_datagrams_give_an_error_or_a_datagram_never_a_throw(byte[]? bytes, bool withHeader)
    {
        var datagram = withHeader ? [.. "6,1,2,-,ncfrag=0/50;"u8, .. bytes ?? []] : bytes ?? [];
        var error = ExtendedParser.TryParseDatagram(datagram, out var parsed);
        if (error == RecordError.None)
            new FragmentReassembler().Add(parsed, out _);
        return true;
    }
}
