using Netoops.EndToEnd.Tests.Kernel;

namespace Netoops.EndToEnd.Tests.HarnessTests;

public sealed class GuestActionsTests
{
    private static readonly string[] Log =
    [
        "[    2.38] initlog: scenario netconsole on 6.1.0-56-cloud-amd64",
        "[    2.39] initlog: action warn",
        "[    2.40] WARNING: CPU: 0 PID: 1 at provoke.c:26 provoke_warn+0x11/0x20 [provoke]",
        "[    2.41] ---[ end trace 0000000000000000 ]---",
        "[    2.42] initlog: action oops",
        "[    2.43] BUG: kernel NULL pointer dereference, address: 0000000000000000",
        "[    2.44] initlog: power off",
        "[    2.45] reboot: Power down",
    ];

    [Fact]
    public void An_action_owns_the_lines_up_to_the_next_initlog_line()
    {
        Assert.Equal([Log[2], Log[3]], GuestActions.LinesOf(Log, "warn"));
        Assert.Equal([Log[5]], GuestActions.LinesOf(Log, "oops"));
    }

    [Fact]
    public void An_action_that_never_ran_owns_nothing()
    {
        Assert.Empty(GuestActions.LinesOf(Log, "bug"));
    }
}
