using System.Text;
using Netoops.Collector.Netconsole;

namespace Netoops.Collector.Tests.Netconsole;

public sealed class CrashTriggerTests
{
    [Theory]
    [InlineData("------------[ cut here ]------------", true)]
    [InlineData("WARNING: CPU: 0 PID: 1 at kernel/a.c:1 f+0x1/0x2", true)]
    [InlineData("[   12.345678] BUG: kernel NULL pointer dereference, address: 0000000000000000", true)]
    [InlineData("watchdog: BUG: soft lockup - CPU#0 stuck for 22s!", true)]
    [InlineData("Out of memory: Killed process 1234 (stress)", true)]
    [InlineData("app[17]: heartbeat 42 all quiet on host 17", false)]
    [InlineData("eth0: link becomes ready, warning level ok", false)]
    [InlineData("", false)]
    [InlineData("B", false)]
    public void Ascii_bytes_and_text_agree_on_which_lines_open_a_report(string line, bool opens)
    {
        Assert.Equal(opens, CrashTrigger.OpensReport(Encoding.ASCII.GetBytes(line)));
        Assert.Equal(opens, CrashTrigger.OpensReport(line.AsSpan()));
    }

    [Fact]
    public void Marker_fragments_spliced_into_random_ascii_are_judged_the_same_on_bytes_and_text()
    {
        var random = new Random(5);
        string[] pieces = ["BUG", "BUG: ", "WARN", "WARNING: ", "Oops", "Oops: ", "kernel ", "kernel BUG at", "in", "invalid opcode: ",
            "rcu", "rcu: INFO: rcu_", "UBSAN: ", "KASAN", "hard LOCKUP", "soft lock", "---[ cut here ]", "------------[ cut here ]------------"];
        var opened = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var line = new StringBuilder();
            for (var n = random.Next(6); n > 0; n--)
            {
                line.Append((char)random.Next(' ', '~' + 1), random.Next(4));
                line.Append(pieces[random.Next(pieces.Length)]);
            }
            var text = line.ToString();
            var onText = CrashTrigger.OpensReport(text.AsSpan());
            Assert.Equal(onText, CrashTrigger.OpensReport(Encoding.ASCII.GetBytes(text)));
            if (onText) opened++;
        }
        Assert.InRange(opened, 1000, 19_000);
    }
}
