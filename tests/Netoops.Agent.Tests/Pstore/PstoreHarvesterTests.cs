using Netoops.Agent.Pstore;

namespace Netoops.Agent.Tests.Pstore;

public class PstoreHarvesterTests
{
    // A panic spread over three ramoops files, as the kernel writes them: Part1 is the newest text.
    private static void WritePanic(TempDirectory dir, string folder)
    {
        dir.File($"{folder}/dmesg-ramoops-2", "Panic#1 Part3\n<6>[    0.000000] Linux version 6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org)\n<6>[    0.000000] Command line: console=ttyS0\n");
        dir.File($"{folder}/dmesg-ramoops-1", "Panic#1 Part2\n<4>[   12.300000] CPU: 0 PID: 141 Comm: sh Tainted: G W OE 6.1.0-56-cloud-amd64 #1 Debian 6.1.192-2\n<4>[   12.300001] RIP: 0010:provoke_panic+0x11/0x20 [provoke]\n");
        dir.File($"{folder}/dmesg-ramoops-0", "Panic#1 Part1\n<0>[   12.400000] Kernel panic - not syncing: provoke: requested panic\n");
        dir.File($"{folder}/console-ramoops-0", "console text is not a dmesg record\n");
    }

    [Fact]
    public void The_parts_of_a_record_are_joined_oldest_text_first_without_syslog_levels()
    {
        using var dir = new TempDirectory();
        WritePanic(dir, "pstore");
        var harvester = new PstoreHarvester([dir.File("pstore")], dir.File("state"), PstoreDisposal.Keep);

        var record = Assert.Single(harvester.Harvest());

        Assert.Equal("Panic", record.Reason);
        Assert.Equal(3, record.Files.Count);
        var lines = record.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("[    0.000000] Linux version", lines[0]);
        Assert.Equal("[   12.400000] Kernel panic - not syncing: provoke: requested panic", lines[^1]);
        Assert.Equal("6.1.0-56-cloud-amd64", record.KernelRelease);
    }

    [Fact]
    public void A_record_handed_on_is_never_harvested_again_even_when_its_files_stay()
    {
        using var dir = new TempDirectory();
        WritePanic(dir, "pstore");
        var state = dir.File("state");
        var first = new PstoreHarvester([dir.File("pstore")], state, PstoreDisposal.Keep);
        first.Complete(Assert.Single(first.Harvest()));

        var afterRestart = new PstoreHarvester([dir.File("pstore")], state, PstoreDisposal.Keep);
        Assert.Empty(afterRestart.Harvest());
    }

    [Fact]
    public void Unlink_removes_the_files_and_archive_moves_them_into_the_state_directory()
    {
        using var dir = new TempDirectory();
        WritePanic(dir, "sys");
        WritePanic(dir, "systemd/1700000000");
        var state = dir.File("state");

        var unlinking = new PstoreHarvester([dir.File("sys")], state, PstoreDisposal.Unlink);
        unlinking.Complete(Assert.Single(unlinking.Harvest()));
        Assert.Equal(["console-ramoops-0"], Directory.GetFiles(dir.File("sys")).Select(Path.GetFileName));

        File.Delete(Path.Combine(state, "pstore-seen"));
        var archiving = new PstoreHarvester([dir.File("systemd")], state, PstoreDisposal.Archive);
        archiving.Complete(Assert.Single(archiving.Harvest()));
        Assert.Equal(3, Directory.GetFiles(Path.Combine(state, "pstore-archive")).Length);
    }

    [Fact]
    public void Records_from_both_folders_are_harvested_and_a_headerless_file_is_refused()
    {
        using var dir = new TempDirectory();
        dir.File("kernel/dmesg-efi-1", "Oops#1 Part1\n<4>[    5.000000] Oops: 0002 [#1] SMP\n");
        dir.File("systemd/dmesg-efi-2", "Oops#2 Part1\n<4>[    6.000000] Oops: 0002 [#2] SMP\n");
        dir.File("systemd/dmesg-efi-3", "no header here\n");
        var harvester = new PstoreHarvester([dir.File("kernel"), dir.File("systemd"), dir.File("absent")], dir.File("state"), PstoreDisposal.Keep);

        var records = harvester.Harvest();

        Assert.Equal([1, 2], records.Select(r => r.Count));
        Assert.Equal(1, harvester.Refused);
        Assert.Null(records[0].KernelRelease);
    }

    [Theory]
    [InlineData("CPU: 1 UID: 0 PID: 9 Comm: kworker Not tainted 6.12.0-rc1+ #4", "6.12.0-rc1+")]
    [InlineData("CPU: 0 PID: 141 Comm: sh Tainted: G        W  OE      6.1.0-56-cloud-amd64 #1 Debian", "6.1.0-56-cloud-amd64")]
    [InlineData("nothing about the kernel", null)]
    public void The_kernel_release_is_read_from_the_crash_text(string text, string? expected)
        => Assert.Equal(expected, PstoreHarvester.KernelReleaseIn(text));
}
