using System.Text;
using Netoops.Protocol.Kmsg;

namespace Netoops.Protocol.Tests.Kmsg;

public class KmsgParserTests
{
    private static KmsgRecord Parse(string raw)
    {
        Assert.Equal(RecordError.None, KmsgParser.TryParse(raw, out var record));
        return record;
    }

    [Fact]
    public void A_plain_record_gives_priority_sequence_timestamp_and_text()
    {
        var record = Parse("6,339,5140900,-;NET: Registered protocol family 10\n");

        Assert.Equal((0, 6), (record.Facility, record.Level));
        Assert.Equal(339UL, record.Sequence);
        Assert.Equal(5140900UL, record.TimestampMicros);
        Assert.False(record.Continuation);
        Assert.Equal("NET: Registered protocol family 10", record.Text);
        Assert.Empty(record.Dictionary);
    }

    [Fact]
    public void Caller_continuation_and_dictionary_lines_are_read()
    {
        var record = Parse("30,1234,99,c,caller=T141;usb 1-1: new device\n SUBSYSTEM=usb\n DEVICE=c189:1\n");

        Assert.Equal((3, 6), (record.Facility, record.Level));
        Assert.True(record.Continuation);
        Assert.Equal("T141", record.Caller);
        Assert.Equal([new("SUBSYSTEM", "usb"), new("DEVICE", "c189:1")], record.Dictionary);
    }

    [Fact]
    public void Escaped_bytes_are_restored_as_utf8_text()
    {
        var record = Parse("4,1,1,-;tab\\x09 back\\x5c utf8 \\xc3\\xa9 bad \\xZZ\n");

        Assert.Equal("tab\t back\\ utf8 é bad \\xZZ", record.Text);
    }

    [Fact]
    public void Formatting_a_record_escapes_what_printk_escapes_and_parses_back()
    {
        var record = new KmsgRecord(4, 7, 8, false, "C1", "a\tb\\c é\nd", [new("K", "v\x01")]);

        var raw = KmsgParser.Format(record);

        Assert.Equal("4,7,8,-,caller=C1;a\\x09b\\x5cc \\xc3\\xa9\\x0ad\n K=v\\x01\n", Encoding.ASCII.GetString(raw));
        Assert.Equal(RecordError.None, KmsgParser.TryParse(raw, out var back));
        Assert.Equal(record, back);
    }

    [Theory]
    [InlineData("", RecordError.Empty)]
    [InlineData("6,1,2,-", RecordError.MissingSemicolon)]
    [InlineData("x,1,2,-;t\n", RecordError.BadPriority)]
    [InlineData(";t\n", RecordError.BadPriority)]
    [InlineData("6,-1,2,-;t\n", RecordError.BadSequence)]
    [InlineData("6;t\n", RecordError.BadSequence)]
    [InlineData("6,1,2.5,-;t\n", RecordError.BadTimestamp)]
    [InlineData("6,1,2;t\n", RecordError.BadFlags)]
    [InlineData("6,1,2,x;t\n", RecordError.BadFlags)]
    [InlineData("6,1,2,-,ncfrag=5/5;t\n", RecordError.BadFragment)]
    [InlineData("6,1,2,-;t\nNOSPACE=1\n", RecordError.BadDictionaryLine)]
    [InlineData("6,1,2,-;t\n =novalue\n", RecordError.BadDictionaryLine)]
    [InlineData("99999999999,1,2,-;t\n", RecordError.BadPriority)]
    public void A_malformed_record_gets_a_typed_error(string raw, RecordError expected)
    {
        Assert.Equal(expected, KmsgParser.TryParse(raw, out _));
        Assert.NotEqual("unknown error", expected.Describe());
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(42);
        for (var i = 0; i < 5000; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            if (i % 2 == 0)
                "6,1,2,-;"u8[..Math.Min(8, bytes.Length)].CopyTo(bytes);
            KmsgParser.TryParse(bytes, out _);
        }
    }
}
