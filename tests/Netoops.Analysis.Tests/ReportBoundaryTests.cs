namespace Netoops.Analysis.Tests;

/// <summary>Where a report starts and ends: a header counts only with a report's body under it.</summary>
public class ReportBoundaryTests
{
    // What a 6.1 kernel prints early in boot on an AMD Zen guest (arch/x86/kernel/cpu/bugs.c pr_warn with
    // its pr_fmt prefix), and more boot chatter after it.
    private const string BootWithVulnerabilityNotices = """
        [    0.120417] Spectre V1 : Mitigation: usercopy/swapgs barriers and __user pointer sanitization
        [    0.120901] Spectre V2 : Mitigation: Retpolines
        [    0.121344] RETBleed: WARNING: Spectre v2 mitigation leaves CPU vulnerable to RETBleed attacks, data leaks possible!
        [    0.121880] Speculative Store Bypass: Vulnerable
        [    0.122310] Speculative Return Stack Overflow: IBPB-extending microcode not applied!
        [    0.122719] Speculative Return Stack Overflow: WARNING: See https://kernel.org/doc/html/latest/admin-guide/hw-vuln/srso.html for mitigation options.
        [    0.123204] Speculative Return Stack Overflow: Vulnerable: Safe RET, no microcode
        [    0.132115] Freeing SMP alternatives memory: 40K
        [    0.240511] smpboot: CPU0: AMD EPYC-Milan Processor (family: 0x19, model: 0x1, stepping: 0x1)
        [    0.241812] cblist_init_generic: Setting adjustable number of callback queues.
        [    0.242517] Performance Events: PMU not available due to virtualization, using software events only.
        [    0.243902] rcu: Hierarchical SRCU implementation.
        [    0.244418] smp: Bringing up secondary CPUs ...
        [    0.245001] smp: Brought up 1 node, 1 CPU
        [    0.246331] devtmpfs: initialized
        [    0.247710] clocksource: jiffies: mask: 0xffffffff max_cycles: 0xffffffff, max_idle_ns: 7645041785100000 ns
        """;

    [Fact]
    public void A_boot_notice_that_shares_a_header_word_is_no_report()
    {
        Assert.Null(CrashAnalyzer.Analyze(BootWithVulnerabilityNotices));
    }

    [Theory]
    [InlineData("[Firmware Bug]: TSC_DEADLINE disabled due to Errata; please update microcode to version: 0x52 (or later)")]
    [InlineData("ACPI BIOS Error (bug): Could not resolve symbol [\\_SB.PCI0.GPP0.SWUS], AE_NOT_FOUND (20220331/dswload2-162)")]
    [InlineData("usb 5-1: WARNING: ath10k USB support is incomplete, don't expect anything to work!")]
    [InlineData("MMIO Stale Data: WARNING: Unprivileged eBPF is enabled with eIBRS on, data leaks possible via Spectre v2 BHB attacks!")]
    [InlineData("i915 0000:00:02.0: [drm] *ERROR* Failed to write source OUI; BUG: none")]
    [InlineData("WARNING: kernel not compiled with CPU_SUP_AMD.")]
    public void A_firmware_or_driver_notice_among_boot_chatter_is_no_report(string notice)
    {
        var lines = BootWithVulnerabilityNotices.Split('\n').ToList();
        lines.Insert(2, "[    0.120950] " + notice);
        Assert.Null(CrashAnalyzer.Analyze(string.Join('\n', lines)));
    }

    [Fact]
    public void The_report_after_a_boot_notice_is_the_one_found()
    {
        var report = CrashAnalyzer.Analyze(BootWithVulnerabilityNotices + """
            [   12.001000] ------------[ cut here ]------------
            [   12.001001] WARNING: CPU: 0 PID: 1 at drivers/misc/provoke.c:20 provoke_warn+0x12/0x20 [provoke]
            [   12.001002] Modules linked in: provoke(O)
            [   12.001003] RIP: 0010:provoke_warn+0x12/0x20 [provoke]
            [   12.001004] Call Trace:
            [   12.001005]  <TASK>
            [   12.001006]  proc_reg_write+0x5a/0xa0
            [   12.001007]  vfs_write+0xc1/0x3a0
            [   12.001008] ---[ end trace 0000000000000000 ]---
            """)!;
        Assert.Equal("WARNING in provoke_warn", report.Title);
    }

    [Fact]
    public void A_header_the_output_ends_right_after_is_a_report_cut_short()
    {
        var report = CrashAnalyzer.Analyze("""
            [  616.344091] eth0: link up
            [  616.344092] BUG: unable to handle page fault for address: ffffc90000a1b000
            [  616.344093] #PF: supervisor read access in kernel mode
            """)!;
        Assert.True(report.Corrupted);
    }

    [Theory]
    [InlineData("[   12.1] WARNING: CPU: 0 PID: 1 at a.c:1 f+0x1/0x2", true)]
    [InlineData("------------[ cut here ]------------", true)]
    [InlineData("Unable to handle kernel NULL pointer dereference at virtual address 0000000000000000", true)]
    [InlineData("eth0: link becomes ready", false)]
    public void May_open_is_the_cheap_first_look_at_a_line(string line, bool opens) =>
        Assert.Equal(opens, ReportBoundary.MayOpen(line));

    [Theory]
    [InlineData("[   12.3] ---[ end trace 0000000000000000 ]---", true)]
    [InlineData("---[ end Kernel panic - not syncing: Fatal exception ]---", true)]
    [InlineData("Rebooting in 1 seconds..", true)]
    [InlineData("[  9.1] Out of memory: Killed process 1234 (stress) total-vm:1kB", true)]
    [InlineData("Kernel panic - not syncing: Fatal exception", false)]
    [InlineData("Rebooting in 1 seconds", false)]
    public void Closes_is_the_kernels_last_line_of_a_report(string line, bool closes) =>
        Assert.Equal(closes, ReportBoundary.Closes(line));
}
