namespace Netoops.Protocol.Packets;

/// <summary>The first four bytes of the x86 arch block: the CPU that crashed.</summary>
public readonly record struct X86Cpu(byte Vendor, byte Family, byte Model, byte Stepping)
{
    /// <summary>Vendor byte the kernel uses when it does not know (X86_VENDOR_UNKNOWN).</summary>
    public const byte UnknownVendor = 0xff;

    public static X86Cpu Unknown => new(UnknownVendor, 0, 0, 0);

    /// <summary>Kernel vendor numbers (X86_VENDOR_*), for display.</summary>
    public string VendorName => Vendor switch
    {
        0 => "Intel",
        1 => "Cyrix",
        2 => "AMD",
        3 => "UMC",
        5 => "Centaur",
        7 => "Transmeta",
        8 => "NSC",
        9 => "Hygon",
        10 => "Zhaoxin",
        _ => "unknown",
    };
}
