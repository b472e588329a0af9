using System.Text;
using Netoops.Agent.Kmsg;

namespace Netoops.Agent.Tests.Kmsg;

public class KmsgFramerTests
{
    private static List<string> Frame(KmsgFramer framer, params string[] chunks)
    {
        var records = new List<string>();
        foreach (var chunk in chunks) framer.Push(Encoding.UTF8.GetBytes(chunk), records);
        return records;
    }

    [Fact]
    public void A_stream_is_cut_at_each_header_line_keeping_dictionary_lines_with_their_record()
    {
        var framer = new KmsgFramer();
        var records = Frame(framer,
            "6,1,100,-;first\n SUBSYSTEM=net\n DEVICE=n2\n4,2,200,-;second\n");
        framer.Flush(records);

        Assert.Equal(["6,1,100,-;first\n SUBSYSTEM=net\n DEVICE=n2\n", "4,2,200,-;second\n"], records);
    }

    [Fact]
    public void A_record_split_across_reads_is_joined()
    {
        var framer = new KmsgFramer();
        var records = Frame(framer, "6,1,10", "0,-;hel", "lo\n", "6,2,200,-;x\n");

        Assert.Equal(["6,1,100,-;hello\n"], records);
    }

    [Fact]
    public void Flush_keeps_a_half_read_line_for_the_next_read()
    {
        var framer = new KmsgFramer();
        var records = Frame(framer, "6,1,100,-;whole\n6,2,2");
        framer.Flush(records);
        Assert.Equal(["6,1,100,-;whole\n"], records);

        records = Frame(framer, "00,-;rest\n");
        framer.Flush(records);
        Assert.Equal(["6,2,200,-;rest\n"], records);
    }

    [Fact]
    public void A_dictionary_line_without_a_record_is_dropped_and_counted()
    {
        var framer = new KmsgFramer();
        var records = Frame(framer, " ORPHAN=1\n6,1,100,-;ok\n");
        framer.Flush(records);

        Assert.Equal(["6,1,100,-;ok\n"], records);
        Assert.Equal(1, framer.MalformedLines);
    }

    [Fact]
    public void An_endless_line_is_dropped_and_counted_instead_of_growing_without_bound()
    {
        var framer = new KmsgFramer();
        var junk = new string('x', KmsgFramer.MaxPendingBytes / 2);
        var records = Frame(framer, junk, junk, junk, "\n6,1,100,-;after\n");
        framer.Flush(records);

        Assert.Equal(1, framer.MalformedLines);
        Assert.Contains("6,1,100,-;after\n", records);
    }
}
