using System.Text;
using Netoops.Collector.Netconsole;
using Netoops.Protocol.Kmsg;
using Netoops.Protocol.Netconsole;

namespace Netoops.Collector.Tests.Netconsole;

public sealed class CommonMessageTests
{
    [Fact]
    public void An_ordinary_extended_message_is_read_in_place()
    {
        Assert.True(CommonMessage.TryRead("6.1.0-56-cloud-amd64,6,1042,2718281,-,caller=T12;eth0: link up\n cpu=3\n release=6.1.0\n"u8, out var message));

        Assert.Equal("6.1.0-56-cloud-amd64", Encoding.ASCII.GetString(message.Release));
        Assert.Equal(1042UL, message.Sequence);
        Assert.Equal(2718281UL, message.TimestampMicros);
        Assert.Equal("eth0: link up", Encoding.ASCII.GetString(message.Text));
        Assert.Equal("6.1.0", Encoding.ASCII.GetString(message.DictionaryValue("release="u8)));
        Assert.True(message.DictionaryValue("taskname="u8).IsEmpty);
    }

    [Theory]
    [InlineData("6,1,2,-,ncfrag=0/20;first piece")] // a fragment: reassembly is the full parser's
    [InlineData("6,1,2,-;caf\\xc3\\xa9")] // escapes need decoding
    [InlineData("6,1,2,-;tab\there")] // not printable
    [InlineData("6,1,2,-,future=1;text")] // an option this path does not know
    [InlineData("6,12345678901234567890,2,-;text")] // too many digits to be sure of
    public void Datagrams_outside_the_common_case_are_left_to_the_full_parser(string datagram)
    {
        var bytes = Encoding.Latin1.GetBytes(datagram);
        Assert.False(CommonMessage.TryRead(bytes, out _));
        Assert.Equal(RecordError.None, ExtendedParser.TryParseDatagram(bytes, out _));
    }

    [Theory]
    [InlineData("6,1,2,-;text\nno leading space")]
    [InlineData("6,1,2,-;text\nKEY=no leading space")]
    [InlineData("6,1,2,-;text\n =v")]
    [InlineData("6,1,2,-;text\n\n")]
    public void Odd_dictionary_lines_are_left_to_the_full_parser_which_keeps_the_message_and_counts_them(string datagram)
    {
        var bytes = Encoding.ASCII.GetBytes(datagram);
        Assert.False(CommonMessage.TryRead(bytes, out _));
        Assert.Equal(RecordError.None, ExtendedParser.TryParse(bytes, out var message));
        Assert.Equal("text", message.Record.Text);
        Assert.True(message.OddDictionaryLines > 0);
    }

    [Theory]
    [InlineData(";text")]
    [InlineData(",6,1,2,-;text")]
    [InlineData("6,1,2;text")]
    [InlineData("6,1,x,-;text")]
    [InlineData("6,1,2,--;text")]
    [InlineData("99999999999,1,2,-;text")]
    [InlineData("no semicolon at all")]
    [InlineData("")]
    public void Malformed_datagrams_are_never_taken_by_the_fast_path(string datagram)
    {
        var bytes = Encoding.ASCII.GetBytes(datagram);
        Assert.False(CommonMessage.TryRead(bytes, out _));
        Assert.NotEqual(RecordError.None, ExtendedParser.TryParse(bytes, out _));
    }

    [Fact]
    public void Whatever_the_fast_path_accepts_the_full_parser_reads_the_same_way()
    {
        var random = new Random(11);
        const string alphabet = "0123456789,;-c+ =\n\\xabz.:ncfragcaller/";
        var accepted = 0;
        for (var i = 0; i < 50_000; i++)
        {
            // Mutations of a valid message: mostly still valid, often subtly not.
            var bytes = Encoding.ASCII.GetBytes("6.1.0,6,1042,2718281,-;eth0: link up\n cpu=3\n").ToList();
            for (var m = random.Next(4); m > 0; m--)
            {
                var at = random.Next(bytes.Count + 1);
                switch (random.Next(3))
                {
                    case 0 when at < bytes.Count: bytes.RemoveAt(at); break;
                    case 1 when at < bytes.Count: bytes[at] = (byte)alphabet[random.Next(alphabet.Length)]; break;
                    default: bytes.Insert(at, (byte)alphabet[random.Next(alphabet.Length)]); break;
                }
            }
            var datagram = bytes.ToArray();
            if (!CommonMessage.TryRead(datagram, out var fast)) continue;
            accepted++;
            Assert.Equal(RecordError.None, ExtendedParser.TryParse(datagram, out var full));
            Assert.Equal(full.Record.Sequence, fast.Sequence);
            Assert.Equal(full.Record.TimestampMicros, fast.TimestampMicros);
            Assert.Equal(full.Record.Text, Encoding.ASCII.GetString(fast.Text));
            Assert.Equal(full.Release ?? "", Encoding.ASCII.GetString(fast.Release));
        }
        Assert.True(accepted > 1000, $"only {accepted} mutated datagrams took the fast path");
    }
}
