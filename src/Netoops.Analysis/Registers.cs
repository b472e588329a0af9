namespace Netoops.Analysis;

/// <summary>
/// The register block of a report, in the kernel's x86_64 <c>struct pt_regs</c> order. An i386
/// report fills the low halves (<c>EAX</c> into <see cref="Ax"/>, <c>EIP</c> into <see cref="Ip"/>…)
/// and sets <see cref="Is32Bit"/>. Registers the report did not print stay 0.
/// </summary>
/// <param name="Function">The symbol the instruction pointer was printed as (<c>provoke_warn+0x11/0x20</c>).</param>
public sealed record Registers(
    ulong R15, ulong R14, ulong R13, ulong R12, ulong Bp, ulong Bx, ulong R11, ulong R10, ulong R9, ulong R8,
    ulong Ax, ulong Cx, ulong Dx, ulong Si, ulong Di, ulong OrigAx, ulong Ip, ulong Cs, ulong Flags, ulong Sp,
    ulong Ss, string? Function, bool Is32Bit)
{
    /// <summary>User mode code segments: 0x33 (64-bit), 0x2b/0x23 (compat), 0x73 (i386).</summary>
    public bool IsUserMode => Cs is 0x33 or 0x2b or 0x23 or 0x73;

    /// <summary>Registers by their kernel names, in pt_regs order.</summary>
    public IEnumerable<KeyValuePair<string, ulong>> Named()
    {
        yield return new("r15", R15); yield return new("r14", R14); yield return new("r13", R13);
        yield return new("r12", R12); yield return new("bp", Bp); yield return new("bx", Bx);
        yield return new("r11", R11); yield return new("r10", R10); yield return new("r9", R9);
        yield return new("r8", R8); yield return new("ax", Ax); yield return new("cx", Cx);
        yield return new("dx", Dx); yield return new("si", Si); yield return new("di", Di);
        yield return new("orig_ax", OrigAx); yield return new("ip", Ip); yield return new("cs", Cs);
        yield return new("flags", Flags); yield return new("sp", Sp); yield return new("ss", Ss);
    }
}
