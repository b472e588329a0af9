using Netoops.EndToEnd.Tests.Kernel;

namespace Netoops.EndToEnd.Tests.HarnessTests;

public sealed class ConsoleTextTests
{
    [Theory]
    [InlineData(0UL, "[    0.000000] text")]
    [InlineData(2388201UL, "[    2.388201] text")]
    [InlineData(123456000001UL, "[123456.000001] text")]
    public void Format_prints_the_timestamp_as_the_kernel_console_does(ulong microseconds, string expected)
    {
        Assert.Equal(expected, ConsoleText.Format(microseconds, "text"));
    }

    [Theory]
    [InlineData("[    2.388201] RIP: 0010:provoke_warn+0x11/0x20", "RIP: 0010:provoke_warn+0x11/0x20")]
    [InlineData("kit: done", "kit: done")]
    public void Without_timestamp_keeps_only_the_text(string line, string expected)
    {
        Assert.Equal(expected, ConsoleText.WithoutTimestamp(line));
    }

    [Fact]
    public void Missing_counts_repeats_so_a_line_printed_twice_must_arrive_twice()
    {
        var missing = ConsoleText.Missing(["a", "b", "b", "c"], ["c", "b", "a"]);

        Assert.Equal(["b"], missing);
    }
}
