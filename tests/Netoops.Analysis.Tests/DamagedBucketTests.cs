namespace Netoops.Analysis.Tests;

/// <summary>Damaged reports of one kind share a bucket only when what survived of them agrees.</summary>
public class DamagedBucketTests
{
    // A double fault whose own lines were cut short by the page fault that caused it: the title
    // cannot name a frame, but the faulting instruction survived further down.
    private static string DamagedGpf(string rip) => $"""
        [ 1009.603175] PANIC: double fault, error_code: 0x0
        [ 1009.607950] CPU: 0 PID: 4711 Comm: swapper/0 Not tainted 6.1.0 #1
        [ 1009.609860] BUG: unable to handle kernel paging request at ffff888216edd110
        [ 1009.621332] #PF: supervisor read access in kernel mode
        [ 1009.630672] RIP: 0010:{rip}+0x10e/0x3e0
        [ 1009.640473] Code: ff ff 75 20 45 89 e0 4c 89 f1
        """;

    [Fact]
    public void Damaged_reports_that_fault_in_different_functions_are_different_bugs()
    {
        var a = CrashAnalyzer.Analyze(DamagedGpf("tipc_group_join"))!;
        var b = CrashAnalyzer.Analyze(DamagedGpf("ipcomp_init_state"))!;
        Assert.True(a.Corrupted && b.Corrupted);
        Assert.Equal("PANIC: double fault in corrupted", a.Title);
        Assert.NotEqual(a.Bucket, b.Bucket);
        Assert.Equal("PANIC: double fault in corrupted [at tipc_group_join]", a.Bucket);
    }

    [Fact]
    public void Damaged_reports_that_fault_in_one_function_share_a_bucket()
    {
        Assert.Equal(CrashAnalyzer.Analyze(DamagedGpf("tipc_group_join"))!.Bucket,
            CrashAnalyzer.Analyze(DamagedGpf("tipc_group_join").Replace("4711", "99"))!.Bucket);
    }

    [Fact]
    public void A_fault_in_machinery_tells_nothing_and_keeps_the_bare_class()
    {
        Assert.Equal("PANIC: double fault in corrupted", CrashAnalyzer.Analyze(DamagedGpf("native_safe_halt"))!.Bucket);
        Assert.Equal("PANIC: double fault in corrupted", CrashAnalyzer.Analyze(DamagedGpf("memcpy"))!.Bucket);
    }
}
