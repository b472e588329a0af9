namespace Netoops.Protocol.Packets;

/// <summary>
/// Byte offsets and sizes of the netoops v3 packet (REFERENCE §1). All integers little-endian, struct packed.
/// </summary>
public static class PacketLayout
{
    public const ushort Version3 = 3;
    public const ushort ArchX86 = 2;
    public const int DefaultPort = 2004;
    /// <summary>NETOOPS_RETRANSMIT_COUNT: the kernel sends a whole dump this many times in a row.</summary>
    public const int DefaultRounds = 3;

    public const int VersionOffset = 0;
    public const int DumpIdOffset = 2;
    public const int DataOffsetOffset = 4;
    public const int ArchOffset = 6;
    public const int ArchOffsetOffset = 8;
    public const int TypeOffset = 10;
    public const int PacketCountOffset = 12;
    public const int PacketNoOffset = 16;
    public const int BootIdOffset = 20;
    public const int KernelVersionOffset = 24;
    public const int KernelVersionSize = 64;
    public const int UserBlobOffset = 88;
    public const int UserBlobSize = 128;

    /// <summary>Everything before the arch block: the fields common to every architecture.</summary>
    public const int CommonHeaderSize = 216;

    /// <summary>The arch block starts with vendor, family, model, stepping (one byte each).</summary>
    public const int CpuSize = 4;
    /// <summary>x86_64 pt_regs: 21 × u64.</summary>
    public const int X86_64RegistersSize = X86Registers.Count * 8;
    /// <summary>i386 pt_regs of the 2010 kernels: 17 × u32.</summary>
    public const int I386RegistersSize = 17 * 4;
    /// <summary>The series notes "regs is 60 or 168 bytes": i386 pt_regs without sp and ss (15 × u32).</summary>
    public const int I386KernelRegistersSize = 15 * 4;

    public const int X86_64ArchOffset = CommonHeaderSize;
    public const int X86_64DataOffset = X86_64ArchOffset + CpuSize + X86_64RegistersSize; // 388
    public const int DataSize = 1024;
    /// <summary>1412 bytes: fits a 1500-byte MTU with IPv4 and UDP headers.</summary>
    public const int X86_64PacketSize = X86_64DataOffset + DataSize;
}
