using FsCheck;
using FsCheck.Xunit;
using Netoops.Analysis.Tests.Samples;

namespace Netoops.Analysis.Tests;

public class NormalisationTests
{
    [Theory]
    [InlineData("kernel BUG at fs/ext4/inode.c:1234!", "kernel BUG at fs/ext4/inode.c:LINE!")]
    [InlineData("KASAN: slab-out-of-bounds in ip6_fragment+0x1c8/0x3730 at addr ffff8801d1b2c3d4", "KASAN: slab-out-of-bounds in ip6_fragment at addr ADDR")]
    [InlineData("INFO: task syz-executor.3:12345 can't die", "INFO: task syz-executor can't die")]
    [InlineData("BUG: soft lockup - CPU#3 stuck for 22s!", "BUG: soft lockup - CPU stuck for 22s!")]
    [InlineData("unknown-block(0,0)", "unknown-block(NUM,NUM)")]
    [InlineData("a\tb  \u0001c", "a b c")]
    public void Volatile_parts_of_titles_are_replaced(string title, string normalised)
    {
        Assert.Equal(normalised, TitleNormaliser.Normalise(title));
    }

    [Fact]
    public void Titles_are_cut_at_a_readable_length()
    {
        Assert.Equal(TitleNormaliser.MaxLength, TitleNormaliser.Normalise(new string('x', 100_000)).Length);
    }

    [Fact]
    public void Different_functions_get_different_buckets_and_one_bug_seen_as_different_kinds_shares_one()
    {
        Assert.NotEqual(BucketKey.For("WARNING in tcp_close"), BucketKey.For("WARNING in udp_close"));
        Assert.Equal(BucketKey.For("INFO: rcu detected stall in sys_futex"), BucketKey.For("BUG: soft lockup in sys_futex"));
        Assert.Equal(BucketKey.For("KASAN: use-after-free Read in f"), BucketKey.For("general protection fault in f"));
        Assert.NotEqual(BucketKey.For("KASAN: use-after-free Read in f"), BucketKey.For("WARNING in f"));
    }

    [Theory]
    [InlineData("__x64_sys_futex", "sys_futex")]
    [InlineData("__arm64_sys_futex", "sys_futex")]
    [InlineData("__se_sys_futex", "futex")]
    [InlineData("SyS_futex", "futex")]
    [InlineData("tcp_sendmsg", "tcp_sendmsg")]
    public void Syscall_wrappers_are_spelled_one_way_in_titles(string frame, string title)
    {
        Assert.Equal(title, FrameSkips.StripWrapper(frame));
    }

    [Theory]
    [InlineData("__queue_work", true)]
    [InlineData("insert_work", true)]
    [InlineData("memdup_user_nul", true)]
    [InlineData("kobject_set_name_vargs", true)]
    [InlineData("iput", true)]
    [InlineData("alloc_page_interleave", true)]
    [InlineData("mark_lock", true)]
    [InlineData("iput_final", false)]
    [InlineData("gfs2_sys_fs_add", false)]
    [InlineData("strp_check_rcv", false)]
    public void Workqueue_allocator_kobject_and_user_copy_plumbing_never_names_a_bug(string frame, bool skipped)
    {
        Assert.Equal(skipped, new FrameFilter(FrameSkips.Generic).Skips(frame));
    }

    [Property(MaxTest = 200)]
    public bool Addresses_timestamps_pids_and_offsets_never_change_a_bucket(
        ulong address, PositiveInt pid, PositiveInt seconds, ushort offset, ushort size, byte cpu)
    {
        var baseline = CrashAnalyzer.Analyze(Reports.GeneralProtectionFault)!;
        var varied = Reports.GeneralProtectionFault
            .Replace("0xdffffc0000000003", $"0x{address:x16}")
            .Replace("123.4567", $"{seconds.Get % 100000}.4567")
            .Replace("4242", pid.Get.ToString())
            .Replace("CPU: 1", $"CPU: {cpu}")
            .Replace("0x1a2/0x1f30", $"0x{offset:x}/0x{Math.Max(offset, size) + 1:x}")
            .Replace("ffffc90002f6fa58", $"{address:x16}");
        var report = CrashAnalyzer.Analyze(varied);
        return report != null && report.Bucket == baseline.Bucket && report.Title == baseline.Title;
    }

    [Property(MaxTest = 100)]
    public bool Executor_instance_numbers_never_change_a_title(PositiveInt instance, PositiveInt pid)
    {
        var text = $"[ 1.0] INFO: task syz-executor.{instance.Get % 10}:{pid.Get} can't die for more than 143 seconds.\n" +
                   "[ 1.1] Call Trace:\n[ 1.2]  __schedule+0x1/0x2\n[ 1.3]  schedule+0x1/0x2\n" +
                   "[ 1.4]  fuse_dev_do_read+0x1/0x2\n[ 1.5]  vfs_read+0x1/0x2\n";
        return CrashAnalyzer.Analyze(text)!.Title == "INFO: task can't die in fuse_dev_do_read";
    }
}
