namespace Netoops.Analysis;

/// <summary>One kernel crash report, cut out of console output, titled and bucketed.</summary>
/// <param name="Kind">Why the kernel printed it.</param>
/// <param name="Title">The normalised title (<c>KASAN: use-after-free Read in tcp_v4_rcv</c>).</param>
/// <param name="Bucket">Reports of one bug share this key; different bugs do not.</param>
/// <param name="Type">The bug class the title names (<c>KASAN-USE-AFTER-FREE-READ</c>, <c>HANG</c>, <c>WARNING</c>…).</param>
/// <param name="Corrupted">The report is damaged: interleaved, truncated, or missing its stack.</param>
/// <param name="Frames">The non-generic frames the title was chosen from, first one first.</param>
/// <param name="StartLine">Index of the report's first line in the output it was found in.</param>
/// <param name="EndLine">Index of its last line.</param>
/// <param name="Text">The report's own lines, decorations stripped, other callers' lines left out.</param>
public sealed record CrashReport(
    CrashKind Kind,
    string Title,
    string Bucket,
    string Type,
    bool Corrupted,
    IReadOnlyList<string> Frames,
    Registers? Registers,
    TaskContext? Task,
    KernelInfo? Kernel,
    Hardware? Hardware,
    int StartLine,
    int EndLine,
    IReadOnlyList<string> Text)
{
    /// <summary>A kernel bug, as opposed to an OOM kill (the kernel doing its job under memory pressure).</summary>
    public bool IsBug => Kind != CrashKind.Oom;
}

/// <summary>The task the report was printed for: <c>CPU: 0 UID: 0 PID: 141 Comm: sh</c>.</summary>
public sealed record TaskContext(int Cpu, int Pid, int? Uid, string Comm);

/// <summary>The kernel that crashed.</summary>
/// <param name="Release">The release (<c>6.1.0-56-cloud-amd64</c>).</param>
/// <param name="Build">What follows the release (<c>#1 Debian 6.1.192-2</c>).</param>
/// <param name="Taint">The taint letters (<c>G W OE</c>), empty when not tainted.</param>
/// <param name="Modules">The modules loaded, with their taint flags stripped.</param>
public sealed record KernelInfo(string? Release, string? Build, string Taint, IReadOnlyList<string> Modules);

/// <summary>The machine, from <c>Hardware name: &lt;system&gt;/&lt;board&gt;, BIOS &lt;version&gt; &lt;date&gt;</c>.</summary>
public sealed record Hardware(string System, string? Board, string? BiosVersion, string? BiosDate);
