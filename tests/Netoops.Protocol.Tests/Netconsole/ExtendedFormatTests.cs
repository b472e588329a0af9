using System.Text;
using Netoops.Protocol.Kmsg;
using Netoops.Protocol.Netconsole;

namespace Netoops.Protocol.Tests.Netconsole;

public class ExtendedFormatTests
{
    private static ExtendedMessage Parse(string datagram)
    {
        Assert.Equal(RecordError.None, ExtendedParser.TryParse(Encoding.ASCII.GetBytes(datagram), out var message));
        return message;
    }

    private static string Ascii(byte[] bytes) => Encoding.ASCII.GetString(bytes);

    [Fact]
    public void The_real_initlog_capture_parses()
    {
        var record = Parse("13,542,6229856,-;initlog: action panic\n").Record;

        Assert.Equal((1, 5), (record.Facility, record.Level));
        Assert.Equal(542UL, record.Sequence);
        Assert.Equal(6229856UL, record.TimestampMicros);
        Assert.Equal("initlog: action panic", record.Text);
    }

    [Fact]
    public void The_real_panic_capture_parses_as_an_emergency()
    {
        var message = Parse("0,522,6106824,-;Kernel panic - not syncing: provoke: requested panic\n");

        Assert.Null(message.Release);
        Assert.Equal(0, message.Record.Level);
        Assert.Equal("Kernel panic - not syncing: provoke: requested panic", message.Record.Text);
    }

    [Fact]
    public void The_real_capture_without_a_trailing_newline_still_parses() =>
        Assert.Equal("initlog: action panic", Parse("13,542,6229856,-;initlog: action panic").Record.Text);

    [Fact]
    public void The_writer_reproduces_the_real_captures_byte_for_byte()
    {
        var record = new KmsgRecord(13, 542, 6229856, "initlog: action panic");

        Assert.Equal("13,542,6229856,-;initlog: action panic\n", Ascii(ExtendedWriter.Write(record).Single()));
    }

    [Fact]
    public void A_release_prefix_userdata_and_sysdata_are_written_after_the_record()
    {
        var record = new KmsgRecord(4, 9, 10, true, "T1", "half a line", []);

        var datagram = ExtendedWriter.Write(record, "6.1.0-56-cloud-amd64", [new("rack", "b7")], Sysdata.Lines(cpu: 3, taskName: "sh", messageId: 42)).Single();

        Assert.Equal("6.1.0-56-cloud-amd64,4,9,10,c,caller=T1;half a line\n rack=b7\n cpu=3\n taskname=sh\n msgid=42\n", Ascii(datagram));
        var parsed = Parse(Ascii(datagram));
        Assert.Equal("6.1.0-56-cloud-amd64", parsed.Release);
        Assert.True(parsed.Record.Continuation);
        Assert.Equal(["rack", "cpu", "taskname", "msgid"], parsed.Record.Dictionary.Select(kv => kv.Key));
    }

    [Fact]
    public void A_long_message_is_fragmented_with_a_total_that_counts_userdata_and_sysdata()
    {
        var text = new string('x', 1500);
        var record = new KmsgRecord(6, 77, 1, text);

        var fragments = ExtendedWriter.Write(record, "6.1.0", [new("k", "v")], Sysdata.Lines(cpu: 1)).Select(Ascii).ToList();

        var total = text.Length + 1 + " k=v\n".Length + " cpu=1\n".Length;
        Assert.Equal(2, fragments.Count);
        Assert.StartsWith($"6.1.0,6,77,1,-,ncfrag=0/{total};xxx", fragments[0]);
        Assert.Matches($"^6\\.1\\.0,6,77,1,-,ncfrag=\\d+/{total};x+\n k=v\n cpu=1\n$", fragments[1]);
        Assert.All(fragments, f => Assert.True(f.Length <= 1000));
    }

    [Fact]
    public void Fragments_in_any_order_with_duplicates_reassemble_to_the_message()
    {
        var record = new KmsgRecord(6, 77, 1, false, null, string.Concat(Enumerable.Range(0, 400).Select(i => $"{i} é\t")), [new("DEVICE", "+net:eth0")]);
        var fragments = ExtendedWriter.Write(record, null, [new("k", "v")]);
        Assert.True(fragments.Count >= 3);
        var reassembler = new FragmentReassembler();

        var outcomes = new List<FragmentOutcome>();
        ExtendedMessage? message = null;
        foreach (var fragment in fragments.Reverse().Append(fragments[0]).Prepend(fragments[1]))
        {
            Assert.Equal(RecordError.None, ExtendedParser.TryParseDatagram(fragment, out var datagram));
            outcomes.Add(reassembler.Add(datagram, out var done));
            message ??= done;
        }

        Assert.Contains(FragmentOutcome.Duplicate, outcomes);
        Assert.Equal(1, outcomes.Count(o => o == FragmentOutcome.Completed));
        Assert.Equal(record with { Dictionary = [.. record.Dictionary, new("k", "v")] }, message!.Record);
    }

    [Fact]
    public void A_fragment_disagreeing_with_held_bytes_is_inconsistent()
    {
        var reassembler = new FragmentReassembler();
        ExtendedParser.TryParseDatagram("6,1,1,-,ncfrag=0/10;abcde"u8.ToArray(), out var first);
        ExtendedParser.TryParseDatagram("6,1,1,-,ncfrag=0/10;abXde"u8.ToArray(), out var forged);
        ExtendedParser.TryParseDatagram("6,1,1,-,ncfrag=0/12;abcde"u8.ToArray(), out var otherTotal);

        Assert.Equal(FragmentOutcome.Pending, reassembler.Add(first, out _));
        Assert.Equal(FragmentOutcome.Inconsistent, reassembler.Add(forged, out _));
        Assert.Equal(FragmentOutcome.Inconsistent, reassembler.Add(otherTotal, out _));
    }

    [Fact]
    public void Pending_messages_beyond_capacity_evict_the_oldest()
    {
        var reassembler = new FragmentReassembler(maxPending: 2);
        foreach (var seq in new[] { 1, 2, 3 })
        {
            ExtendedParser.TryParseDatagram(Encoding.ASCII.GetBytes($"6,{seq},1,-,ncfrag=0/10;abc"), out var piece);
            reassembler.Add(piece, out _);
        }

        Assert.Equal(1, reassembler.Evicted);
        Assert.Equal([2UL, 3UL], reassembler.PendingSequences.Order());
    }

    [Fact]
    public void A_fragment_total_over_the_cap_is_refused()
    {
        ExtendedParser.TryParseDatagram("6,1,1,-,ncfrag=0/999999999;abc"u8.ToArray(), out var piece);

        Assert.Equal(FragmentOutcome.TooLong, new FragmentReassembler().Add(piece, out _));
    }

    [Theory]
    [InlineData("6,1,1,-,ncfrag=8/10;abc")]
    [InlineData("6,1,1,-,ncfrag=0/0;")]
    [InlineData("6,1,1,-,ncfrag=a/10;abc")]
    [InlineData("6,1,1,-,ncfrag=3;abc")]
    public void A_fragment_position_outside_its_total_is_a_bad_fragment(string datagram) =>
        Assert.Equal(RecordError.BadFragment, ExtendedParser.TryParseDatagram(Encoding.ASCII.GetBytes(datagram), out _));

    [Fact]
    public void Basic_chunks_are_at_most_1000_bytes_and_concatenate_to_the_text()
    {
        var text = Encoding.ASCII.GetBytes(new string('y', 2500));

        var chunks = NetconsoleBasic.Chunks(text).ToList();

        Assert.Equal([1000, 1000, 500], chunks.Select(c => c.Length));
        Assert.Equal(text, chunks.SelectMany(c => c.ToArray()));
    }
}
