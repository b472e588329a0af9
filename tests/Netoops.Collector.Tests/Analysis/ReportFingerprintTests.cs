using System.Text;
using Netoops.Collector.Analysis;
using Netoops.Collector.Tests.Support;

namespace Netoops.Collector.Tests.Analysis;

public sealed class ReportFingerprintTests
{
    /// <summary>The test WARN report as host <paramref name="host"/> would print it: its own times, CPU, PID, addresses and boot chatter.</summary>
    internal static string AsHostPrints(int host, string function = "provoke_warn", string hardware = "QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014")
    {
        var seconds = 100 + host * 7.25;
        var lines = KernelLogs.WarnReport.Select((line, i) =>
        {
            var text = line[(line.IndexOf(']') + 2)..]
                .Replace("CPU: 0 PID: 137", $"CPU: {host % 4} PID: {1000 + host}")
                .Replace("ffff8a0c41e3e000", $"ffff8a0c{host:x4}e000")
                .Replace("ffffd33b0059bd08", $"ffffd33b{host:x4}bd08")
                .Replace("provoke_warn", function);
            if (text.StartsWith("Hardware name:")) text = "Hardware name: " + hardware;
            return $"[{seconds + i / 1e6,12:F6}] {text}";
        });
        return KernelLogs.BootLines(10 + host % 5, seed: host) + string.Join('\n', lines) + "\n";
    }

    private static ulong? Of(string text, string kernel = "6.1.0-56-cloud-amd64", ushort type = 1) =>
        ReportFingerprint.TryCompute(Encoding.UTF8.GetBytes(text), kernel, type, out var fingerprint) ? fingerprint : null;

    [Fact]
    public void One_bug_on_many_hosts_has_one_fingerprint_whatever_their_times_cpus_pids_addresses_and_boot_chatter()
    {
        var fingerprints = Enumerable.Range(0, 50).Select(host => Of(AsHostPrints(host))).Distinct().ToList();

        Assert.NotNull(Assert.Single(fingerprints));
    }

    [Fact]
    public void Another_function_another_machine_another_release_or_dump_type_is_another_fingerprint()
    {
        var first = Of(AsHostPrints(1));

        Assert.NotEqual(first, Of(AsHostPrints(1, function: "provoke_warm")));
        Assert.NotEqual(first, Of(AsHostPrints(1, hardware: "QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.3-debian-1.16.3-2 04/01/2014")));
        Assert.NotEqual(first, Of(AsHostPrints(1), kernel: "6.1.0-57-cloud-amd64"));
        Assert.NotEqual(first, Of(AsHostPrints(1), type: 2));
    }

    [Fact]
    public void Text_without_a_report_has_no_fingerprint()
    {
        Assert.Null(Of(KernelLogs.BootLines(40)));
    }

    [Theory]
    [InlineData("WARNING in provoke_warn", false)]
    [InlineData("KASAN: slab-use-after-free Read in ext4_map_blocks", false)]
    [InlineData("Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000009", true)]
    [InlineData("VFS: Unable to mount root fs on unknown-block(0,0)", true)]
    public void A_title_holding_a_number_depends_on_what_the_fingerprint_masks(string title, bool masked)
    {
        Assert.Equal(masked, ReportFingerprint.MasksPartOf(title));
    }
}
