using Netoops.Agent.Pstore;

namespace Netoops.Agent.Tests.Pstore;

public class BootHistoryTests
{
    private static readonly BootHistory.BootInfo BootA = new("aaaa-1", 0xaaaa, "6.1.0");
    private static readonly BootHistory.BootInfo BootB = new("bbbb-2", 0xbbbb, "6.2.0");

    [Fact]
    public void The_first_run_knows_no_previous_boot()
    {
        using var dir = new TempDirectory();
        Assert.Null(BootHistory.Rotate(dir.Path, BootA));
    }

    [Fact]
    public void After_a_reboot_the_previous_boot_is_the_one_the_agent_last_ran_in()
    {
        using var dir = new TempDirectory();
        BootHistory.Rotate(dir.Path, BootA);
        Assert.Equal(BootA, BootHistory.Rotate(dir.Path, BootB));
    }

    [Fact]
    public void A_restart_within_the_same_boot_keeps_the_previous_boot()
    {
        using var dir = new TempDirectory();
        BootHistory.Rotate(dir.Path, BootA);
        BootHistory.Rotate(dir.Path, BootB);
        Assert.Equal(BootA, BootHistory.Rotate(dir.Path, BootB));
    }
}
