namespace Netoops.Analysis.Tests;

/// <summary>
/// Reports in the formats of kernel generations and architectures the development corpus never
/// shows (Generations/README.md says which printing code each follows): each gets the title a
/// kernel developer would give it, and none reads as corrupted.
/// </summary>
public class GenerationsTests
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Generations");

    [Theory]
    [InlineData("rhel6-warn-all-questionable.log", "WARNING in dev_watchdog")]
    [InlineData("2.6.26-warn-func-only.log", "WARNING in journal_commit_transaction")]
    [InlineData("3.10-warn-cpu-pid.log", "WARNING in drop_nlink")]
    [InlineData("6.18-warn-new-line.log", "WARNING in drop_nlink")]
    [InlineData("i386-2.6.32-oops.log", "BUG: unable to handle kernel NULL pointer dereference in ext3_get_blocks_handle")]
    [InlineData("4.4-ip-line-oops.log", "BUG: unable to handle kernel paging request in mlx4_en_process_rx_cq")]
    [InlineData("2.6.32-hung-task.log", "INFO: task hung in jbd2_journal_commit_transaction")]
    [InlineData("6.12-rust-panic.log", "Rust panic: attempt to add with overflow in samples/rust/rust_minimal.rs")]
    [InlineData("6.1-kmsan.log", "KMSAN: uninit-value in __dev_queue_xmit")]
    [InlineData("6.1-bad-page-state.log", "BUG: Bad page state in mydrv_release_buffers")]
    [InlineData("ppc64-3.10-oops.log", "BUG: unable to handle kernel paging request in blk_queue_max_segments")]
    [InlineData("s390x-5.14-oops.log", "BUG: unable to handle kernel paging request in mydrv_init")]
    [InlineData("riscv64-6.1-oops.log", "BUG: unable to handle kernel NULL pointer dereference in mydrv_init")]
    [InlineData("arm-4.9-oops.log", "BUG: unable to handle kernel NULL pointer dereference in mydrv_probe")]
    [InlineData("5.10-hard-lockup.log", "BUG: hard lockup in mydrv_timer_fn")]
    public void A_report_of_another_generation_or_architecture_gets_its_title(string file, string title)
    {
        var report = CrashAnalyzer.Analyze(File.ReadAllText(Path.Combine(Directory, file)));
        Assert.NotNull(report);
        Assert.Equal(title, report.Title);
        Assert.False(report.Corrupted, $"{file} read as corrupted");
    }

    [Fact]
    public void Every_sample_is_tested()
    {
        var files = System.IO.Directory.EnumerateFiles(Directory, "*.log").Select(p => Path.GetFileName(p)!).Order().ToList();
        var tested = typeof(GenerationsTests).GetMethod(nameof(A_report_of_another_generation_or_architecture_gets_its_title))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).First()[0]).Order().ToList();
        Assert.Equal(files, tested);
    }
}
