using System.Text;
using Netoops.Protocol.Kmsg;
using Netoops.Protocol.Netconsole;

namespace Netoops.Protocol.Tests.Netconsole;

public class UserdataTests
{
    [Theory]
    [InlineData("rack", null)]
    [InlineData("", "userdata key is empty")]
    [InlineData("a=b", "userdata key may hold only printable ASCII without spaces, '=' or '/'")]
    [InlineData("two words", "userdata key may hold only printable ASCII without spaces, '=' or '/'")]
    [InlineData("line\nbreak", "userdata key may hold only printable ASCII without spaces, '=' or '/'")]
    [InlineData("0123456789012345678901234567890123456789012345678901234", "userdata key is longer than 53 characters")]
    public void Keys_are_checked_before_they_reach_the_wire(string key, string? problem) =>
        Assert.Equal(problem, Userdata.KeyProblem(key));

    [Fact]
    public void A_value_over_200_bytes_is_refused() =>
        Assert.Equal("userdata value is longer than 200 bytes", Userdata.ValueProblem(new string('é', 101)));

    [Fact]
    public void A_value_with_a_newline_is_refused() =>
        Assert.Equal("userdata value may not contain a newline", Userdata.ValueProblem("a\nb"));

    [Fact]
    public void A_hostile_key_that_slipped_through_cannot_forge_a_dictionary_line()
    {
        var datagram = ExtendedWriter.Write(new KmsgRecord(6, 1, 1, "t"), null, [new("k\n evil", "v")]).Single();

        Assert.Equal("6,1,1,-;t\n k\\x0a evil=v\n", Encoding.ASCII.GetString(datagram));
    }

    [Fact]
    public void A_late_copy_of_a_completed_fragmented_message_is_a_duplicate()
    {
        var fragments = ExtendedWriter.Write(new KmsgRecord(6, 9, 1, new string('z', 1500)));
        var reassembler = new FragmentReassembler();
        foreach (var fragment in fragments)
        {
            ExtendedParser.TryParseDatagram(fragment, out var piece);
            reassembler.Add(piece, out _);
        }

        ExtendedParser.TryParseDatagram(fragments[0], out var late);
        Assert.Equal(FragmentOutcome.Duplicate, reassembler.Add(late, out _));
        Assert.Equal(0, reassembler.Pending);
    }
}
