using System.Text;
using Netoops.Agent.Machine;

namespace Netoops.Agent.Tests.Machine;

public class MachineFactsTests
{
    private const string IntelCpuInfo = """
        processor	: 0
        vendor_id	: GenuineIntel
        cpu family	: 6
        model		: 85
        model name	: Intel(R) Xeon(R) CPU
        stepping	: 7

        processor	: 1
        vendor_id	: AuthenticAMD
        cpu family	: 25
        """;

    [Fact]
    public void Cpu_fields_come_from_the_first_processor_block()
        => Assert.Equal(new CpuIdentity(0, 6, 85, 7), CpuIdentity.FromCpuInfo(IntelCpuInfo.Replace("\r", "")));

    [Theory]
    [InlineData("AuthenticAMD", 2)]
    [InlineData("HygonGenuine", 9)]
    [InlineData("CentaurHauls", 5)]
    [InlineData("Shanghai", 10)]
    [InlineData("SomethingElse", 0xff)]
    public void Vendor_strings_map_to_the_kernels_vendor_numbers(string vendor, byte expected)
        => Assert.Equal(expected, CpuIdentity.FromCpuInfo($"vendor_id\t: {vendor}\n").Vendor);

    [Fact]
    public void Boot_id_is_the_first_four_bytes_of_the_boot_uuid()
    {
        Assert.Equal(0x4e3f1a2bu, MachineFacts.BootIdFromUuid("4e3f1a2b-9c1d-4c1e-8f00-0123456789ab\n"));
        Assert.Equal(0u, MachineFacts.BootIdFromUuid("garbage"));
    }

    [Fact]
    public void The_user_blob_names_host_board_and_bios()
        => Assert.Equal("host=web1;board=X11DPi;bios=3.4", MachineFacts.DefaultUserBlob("web1", "X11DPi", "3.4"));

    [Fact]
    public void The_user_blob_never_exceeds_128_bytes_and_stays_parseable()
    {
        var blob = MachineFacts.DefaultUserBlob(new string('h', 200), "bo;ard=x", new string('b', 90));

        Assert.True(Encoding.UTF8.GetByteCount(blob) <= 128);
        var fields = blob.Split(';');
        Assert.Equal(3, fields.Length);
        Assert.Equal("board=boardx", fields[1]);
    }

    [Fact]
    public void Facts_are_read_from_proc_and_sys_under_a_root()
    {
        using var root = new TempDirectory();
        root.File("proc/cpuinfo", "vendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 1\nstepping\t: 1\n");
        root.File("proc/sys/kernel/osrelease", "6.1.0-56-cloud-amd64\n");
        root.File("proc/sys/kernel/random/boot_id", "deadbeef-0000-0000-0000-000000000000\n");
        root.File("proc/sys/kernel/hostname", "db7\n");
        root.File("sys/class/dmi/id/board_name", "MZ32\n");
        root.File("sys/class/dmi/id/bios_version", "R23\n");

        var facts = MachineFacts.Read(root.Path);

        Assert.Equal(new CpuIdentity(2, 25, 1, 1), facts.Cpu);
        Assert.Equal("6.1.0-56-cloud-amd64", facts.KernelRelease);
        Assert.Equal(0xdeadbeefu, facts.BootId);
        Assert.Equal("host=db7;board=MZ32;bios=R23", facts.UserBlob);
    }

    [Fact]
    public void A_machine_without_dmi_still_gets_facts()
    {
        using var root = new TempDirectory();
        var facts = MachineFacts.Read(root.Path);

        Assert.Equal(CpuIdentity.Unknown, facts.Cpu);
        Assert.Equal("host=;board=;bios=", facts.UserBlob);
    }
}
