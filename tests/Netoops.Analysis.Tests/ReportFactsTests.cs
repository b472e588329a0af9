using Netoops.Analysis.Tests.Samples;

namespace Netoops.Analysis.Tests;

public class ReportFactsTests
{
    [Fact]
    public void The_kernel_register_block_is_read_in_pt_regs_order_and_the_user_block_is_ignored()
    {
        var registers = CrashAnalyzer.Analyze(Reports.ModuleWarning)!.Registers!;
        Assert.Equal(0x10ul, registers.Cs);
        Assert.False(registers.IsUserMode);
        Assert.Equal("provoke_warn+0x11/0x20 [provoke]", registers.Function);
        Assert.Equal(0x18ul, registers.Ss);
        Assert.Equal(0xffffd33b0059bd08ul, registers.Sp);
        Assert.Equal(0x10286ul, registers.Flags);
        Assert.Equal(0x1ul, registers.Ax);
        Assert.Equal(0xffff8e2a01b2c000ul, registers.Bx);
        Assert.Equal(0x5ul, registers.Di);
        Assert.Equal(0xful, registers.R15);
        Assert.Equal(
            ["r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8", "ax", "cx", "dx", "si", "di",
             "orig_ax", "ip", "cs", "flags", "sp", "ss"],
            registers.Named().Select(r => r.Key));
    }

    [Fact]
    public void An_i386_report_fills_the_registers_from_its_eip_block()
    {
        var registers = CrashAnalyzer.Analyze(Reports.I386Oops)!.Registers!;
        Assert.True(registers.Is32Bit);
        Assert.Equal(0xc1234567ul, registers.Ip);
        Assert.Equal(0x60ul, registers.Cs);
        Assert.Equal(0x10246ul, registers.Flags);
        Assert.Equal("ext4_fill_super+0x10/0x900", registers.Function);
        Assert.Equal(0x4ul, registers.Dx);
        Assert.Equal(0xf5c4dcd0ul, registers.Sp);
        Assert.Equal(0x68ul, registers.Ss);
    }

    [Fact]
    public void The_task_line_gives_cpu_pid_comm_taint_and_release()
    {
        var report = CrashAnalyzer.Analyze(Reports.ModuleWarning)!;
        Assert.Equal(new TaskContext(0, 137, null, "sh"), report.Task);
        Assert.Equal("6.1.0-56-cloud-amd64", report.Kernel!.Release);
        Assert.Equal("#1 Debian 6.1.192-2", report.Kernel.Build);
        Assert.Equal("G OE", report.Kernel.Taint);
    }

    [Fact]
    public void A_task_line_with_uid_is_read()
    {
        var report = CrashAnalyzer.Analyze(Reports.ModuleWarning.Replace("CPU: 0 PID: 137", "CPU: 0 UID: 1000 PID: 137"))!;
        Assert.Equal(new TaskContext(0, 137, 1000, "sh"), report.Task);
    }

    [Fact]
    public void The_modules_list_is_read_across_its_wrapped_lines_without_taint_flags()
    {
        var modules = CrashAnalyzer.Analyze(Reports.ModuleWarning)!.Kernel!.Modules;
        Assert.Equal(["provoke", "netconsole", "configfs", "virtio_net", "net_failover", "failover", "virtio_pci",
            "virtio_pci_legacy_dev", "virtio_pci_modern_dev", "virtio", "virtio_ring"], modules);
    }

    [Theory]
    [InlineData("QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014",
        "QEMU Standard PC (i440FX + PIIX, 1996)", null, "1.16.2-debian-1.16.2-1", "04/01/2014")]
    [InlineData("Google Google Compute Engine/Google Compute Engine, BIOS Google 01/01/2011",
        "Google Google Compute Engine", "Google Compute Engine", "Google", "01/01/2011")]
    [InlineData("Dell Inc. PowerEdge R640/0W23H8, BIOS 2.10.2 02/24/2021", "Dell Inc. PowerEdge R640", "0W23H8", "2.10.2", "02/24/2021")]
    [InlineData("ARM-Versatile Express", "ARM-Versatile Express", null, null, null)]
    public void Hardware_names_are_parsed_from_the_right(string text, string system, string? board, string? version, string? date)
    {
        Assert.Equal(new Hardware(system, board, version, date), ReportFacts.ParseHardware(text));
    }
}
