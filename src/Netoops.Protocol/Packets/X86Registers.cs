using System.Runtime.CompilerServices;

namespace Netoops.Protocol.Packets;

/// <summary>x86_64 <c>pt_regs</c>, in the kernel's order (the order on the wire).</summary>
public enum X86Register
{
    R15, R14, R13, R12, Bp, Bx, R11, R10, R9, R8, Ax, Cx, Dx, Si, Di, OrigAx, Ip, Cs, Flags, Sp, Ss,
}

/// <summary>
/// The register block of a packet. All zero when no registers are known (a soft dump, or a crash
/// whose report carried none). A plain value: copying it copies the 21 registers.
/// </summary>
public struct X86Registers : IEquatable<X86Registers>
{
    public const int Count = 21;

    /// <summary>Kernel code segment selector, as in <c>RIP: 0010:...</c>.</summary>
    public const ulong KernelCs = 0x10;

    /// <summary>The flags a kernel reports most often (IF set): the default for <c>--rip</c>.</summary>
    public const ulong TypicalFlags = 0x246;

    private Values _values;

    public ulong this[X86Register register]
    {
        readonly get => _values[(int)register];
        set => _values[(int)register] = value;
    }

    /// <summary>Registers of a kernel-mode crash at <paramref name="ip"/>: cs 0x10, flags 0x246, the rest zero.</summary>
    public static X86Registers AtKernelIp(ulong ip)
    {
        var registers = new X86Registers();
        registers[X86Register.Ip] = ip;
        registers[X86Register.Cs] = KernelCs;
        registers[X86Register.Flags] = TypicalFlags;
        return registers;
    }

    /// <summary>Lower-case names as in the kernel struct and the JSON of <c>wire decode</c>: r15 … ss.</summary>
    public static string NameOf(X86Register register) => register switch
    {
        X86Register.OrigAx => "orig_ax",
        _ => register.ToString().ToLowerInvariant(),
    };

    public readonly bool IsZero => ((ReadOnlySpan<ulong>)_values).IndexOfAnyExcept(0UL) < 0;

    public readonly bool Equals(X86Registers other) =>
        ((ReadOnlySpan<ulong>)_values).SequenceEqual(other._values);

    public override readonly bool Equals(object? obj) => obj is X86Registers other && Equals(other);

    public override readonly int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var value in (ReadOnlySpan<ulong>)_values)
            hash.Add(value);
        return hash.ToHashCode();
    }

    public static bool operator ==(X86Registers left, X86Registers right) => left.Equals(right);
    public static bool operator !=(X86Registers left, X86Registers right) => !left.Equals(right);

    [InlineArray(Count)]
    private struct Values
    {
        private ulong _first;
    }
}
