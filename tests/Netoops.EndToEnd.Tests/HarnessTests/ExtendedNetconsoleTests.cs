using Netoops.EndToEnd.Tests.Kernel;

namespace Netoops.EndToEnd.Tests.HarnessTests;

public sealed class ExtendedNetconsoleTests
{
    [Fact]
    public void A_message_yields_its_level_sequence_timestamp_text_and_dictionary()
    {
        var (messages, refused) = ExtendedNetconsole.Read(["4,377,2388201,-;Hardware name: QEMU\n SUBSYSTEM=net\n DEVICE=n2\n"]);

        Assert.Empty(refused);
        var message = Assert.Single(messages);
        Assert.Equal(new ExtendedMessage(null, 4, 377, 2388201, "Hardware name: QEMU", message.Dictionary), message);
        Assert.Equal(["SUBSYSTEM=net", "DEVICE=n2"], message.Dictionary);
        Assert.Equal(["[    2.388201] Hardware name: QEMU"], message.ConsoleLines());
    }

    [Fact]
    public void Messages_come_out_in_sequence_order_whatever_the_arrival_order()
    {
        var (messages, _) = ExtendedNetconsole.Read(["6,12,20,-;second\n", "6,11,10,-;first\n"]);

        Assert.Equal(["first", "second"], messages.Select(message => message.Text));
    }

    [Fact]
    public void Fragments_are_joined_in_offset_order_whatever_the_arrival_order()
    {
        var (messages, refused) = ExtendedNetconsole.Read(
            ["6,40,5,-,ncfrag=6/11;world\n", "6,40,5,-,ncfrag=0/11;hello "]);

        Assert.Empty(refused);
        Assert.Equal("hello world", Assert.Single(messages).Text);
    }

    [Fact]
    public void Escaped_bytes_are_restored_and_an_embedded_newline_makes_two_console_lines()
    {
        var (messages, _) = ExtendedNetconsole.Read(["6,1,1000000,-;path C:\\x5cwin\\x0asecond line\n"]);

        var message = Assert.Single(messages);
        Assert.Equal("path C:\\win\nsecond line", message.Text);
        Assert.Equal(["[    1.000000] path C:\\win", "[    1.000000] second line"], message.ConsoleLines());
    }

    [Fact]
    public void A_release_before_the_level_is_kept_apart()
    {
        var (messages, _) = ExtendedNetconsole.Read(["6.1.0-56-cloud-amd64,0,522,6106824,-;Kernel panic\n"]);

        var message = Assert.Single(messages);
        Assert.Equal(("6.1.0-56-cloud-amd64", 0, 522UL), (message.Release, message.Level, message.Sequence));
    }

    [Fact]
    public void A_datagram_without_a_header_is_refused_with_the_reason()
    {
        var (messages, refused) = ExtendedNetconsole.Read(["[    2.388201] basic text sent to the wrong port\n"]);

        Assert.Empty(messages);
        Assert.Contains("';'", Assert.Single(refused).Reason);
    }

    [Fact]
    public void A_header_with_a_bad_number_is_refused_with_the_reason()
    {
        var (_, refused) = ExtendedNetconsole.Read(["6,x,1,-;text\n"]);

        Assert.Contains("level,seq,ts_usec,flags", Assert.Single(refused).Reason);
    }

    [Fact]
    public void A_message_missing_a_fragment_is_refused()
    {
        var (messages, refused) = ExtendedNetconsole.Read(["6,40,5,-,ncfrag=0/11;hello "]);

        Assert.Empty(messages);
        Assert.Contains("missing fragments", Assert.Single(refused).Reason);
    }
}
