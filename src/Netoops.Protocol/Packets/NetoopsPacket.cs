using System.Buffers.Binary;
using System.Text;

namespace Netoops.Protocol.Packets;

/// <summary>
/// A validated view over one netoops v3 datagram. Reading fields allocates nothing: they are read
/// from the bytes on demand, so the view lives no longer than the receive buffer.
/// </summary>
public readonly ref struct NetoopsPacket
{
    private readonly ReadOnlySpan<byte> _bytes;

    private NetoopsPacket(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public ushort Version => U16(PacketLayout.VersionOffset);
    public ushort DumpId => U16(PacketLayout.DumpIdOffset);
    public ushort DataOffset => U16(PacketLayout.DataOffsetOffset);
    public ushort Arch => U16(PacketLayout.ArchOffset);
    public ushort ArchOffset => U16(PacketLayout.ArchOffsetOffset);
    public DumpType Type => (DumpType)U16(PacketLayout.TypeOffset);
    public uint PacketCount => U32(PacketLayout.PacketCountOffset);
    public uint PacketNo => U32(PacketLayout.PacketNoOffset);
    public uint BootId => U32(PacketLayout.BootIdOffset);

    /// <summary><c>uname -r</c> bytes up to the first NUL.</summary>
    public ReadOnlySpan<byte> KernelVersion => UntilNul(_bytes.Slice(PacketLayout.KernelVersionOffset, PacketLayout.KernelVersionSize));

    /// <summary>The user blob without its trailing NUL padding; in a signed packet, without the tag in the field's tail (<see cref="PacketTag"/>).</summary>
    public ReadOnlySpan<byte> UserBlob =>
        _bytes.Slice(PacketLayout.UserBlobOffset, PacketTag.IsTagged(_bytes) ? PacketTag.Offset - PacketLayout.UserBlobOffset : PacketLayout.UserBlobSize)
            .TrimEnd((byte)0);

    public X86Cpu Cpu
    {
        get
        {
            var cpu = _bytes.Slice(ArchOffset, PacketLayout.CpuSize);
            return new X86Cpu(cpu[0], cpu[1], cpu[2], cpu[3]);
        }
    }

    /// <summary>Size of the pt_regs block: 168 on x86_64, 68 or 60 on i386 (data_offset − arch_offset − 4).</summary>
    public int RegisterBlockSize => DataOffset - ArchOffset - PacketLayout.CpuSize;

    /// <summary>
    /// The registers, widened to the x86_64 set. An i386 block (68 bytes, or 60 without sp and ss
    /// as the series' own comment sizes it) maps to the registers it shares (segment registers
    /// ds..gs have no x86_64 slot); a block of any other size reads as zero.
    /// </summary>
    public X86Registers Registers
    {
        get
        {
            var block = _bytes.Slice(ArchOffset + PacketLayout.CpuSize, RegisterBlockSize);
            var registers = new X86Registers();
            if (block.Length == PacketLayout.X86_64RegistersSize)
            {
                for (var i = 0; i < X86Registers.Count; i++)
                    registers[(X86Register)i] = BinaryPrimitives.ReadUInt64LittleEndian(block[(i * 8)..]);
            }
            else if (block.Length is PacketLayout.I386RegistersSize or PacketLayout.I386KernelRegistersSize)
            {
                for (var i = 0; i < block.Length / 4; i++)
                    if (I386Order[i] is { } register)
                        registers[register] = BinaryPrimitives.ReadUInt32LittleEndian(block[(i * 4)..]);
            }
            return registers;
        }
    }

    /// <summary>This packet's slice of the log, trailing NUL padding removed (log text never holds NUL).</summary>
    public ReadOnlySpan<byte> Data => _bytes[DataOffset..].TrimEnd((byte)0);

    /// <summary>Everything before the text: the header every packet of one dump repeats, save its packet_no.</summary>
    public ReadOnlySpan<byte> HeaderBytes => _bytes[..DataOffset];

    /// <summary>The dump-level fields as an object (allocates: use once per dump, not per packet).</summary>
    public DumpHeader ToHeader() => new()
    {
        DumpId = DumpId,
        Type = Type,
        BootId = BootId,
        KernelVersion = Encoding.UTF8.GetString(KernelVersion),
        UserBlob = UserBlob.ToArray(),
        Cpu = Cpu,
        Registers = Registers,
    };

    /// <summary>
    /// Validates <paramref name="datagram"/> and, when it is a usable packet, returns
    /// <see cref="PacketError.None"/> and a view over it. Never throws on any bytes.
    /// </summary>
    public static PacketError TryDecode(ReadOnlySpan<byte> datagram, PacketLimits limits, out NetoopsPacket packet)
    {
        packet = default;
        var error = Validate(datagram, limits);
        if (error == PacketError.None)
            packet = new NetoopsPacket(datagram);
        return error;
    }

    public static PacketError TryDecode(ReadOnlySpan<byte> datagram, out NetoopsPacket packet) =>
        TryDecode(datagram, PacketLimits.Default, out packet);

    private static PacketError Validate(ReadOnlySpan<byte> d, PacketLimits limits)
    {
        if (d.Length >= 2 && BinaryPrimitives.ReadUInt16LittleEndian(d) != PacketLayout.Version3)
            return PacketError.WrongVersion;
        if (d.Length < PacketLayout.CommonHeaderSize + PacketLayout.CpuSize)
            return PacketError.ShortDatagram;
        if (BinaryPrimitives.ReadUInt16LittleEndian(d[PacketLayout.ArchOffset..]) != PacketLayout.ArchX86)
            return PacketError.UnsupportedArch;
        var type = (DumpType)BinaryPrimitives.ReadUInt16LittleEndian(d[PacketLayout.TypeOffset..]);
        if (type is not (DumpType.Oops or DumpType.Soft))
            return PacketError.UnknownDumpType;

        int archOffset = BinaryPrimitives.ReadUInt16LittleEndian(d[PacketLayout.ArchOffsetOffset..]);
        int dataOffset = BinaryPrimitives.ReadUInt16LittleEndian(d[PacketLayout.DataOffsetOffset..]);
        if (archOffset < PacketLayout.CommonHeaderSize || archOffset + PacketLayout.CpuSize > d.Length)
            return PacketError.ArchOffsetOutOfRange;
        if (dataOffset < archOffset + PacketLayout.CpuSize || dataOffset > d.Length)
            return PacketError.DataOffsetOutOfRange;
        if (d.Length - dataOffset > PacketLayout.DataSize)
            return PacketError.DataTooLong;

        var count = BinaryPrimitives.ReadUInt32LittleEndian(d[PacketLayout.PacketCountOffset..]);
        if (count > limits.MaxPacketCount)
            return PacketError.PacketCountOverCap;
        if (BinaryPrimitives.ReadUInt32LittleEndian(d[PacketLayout.PacketNoOffset..]) >= count)
            return PacketError.PacketNoOutOfRange;
        return PacketError.None;
    }

    /// <summary>
    /// Writes one x86_64 packet (1412 bytes, data zero-padded to 1024) into <paramref name="destination"/>
    /// and returns its length. Throws only on caller mistakes (header problem, data over 1 KiB, small buffer).
    /// </summary>
    public static int Write(DumpHeader header, uint packetCount, uint packetNo, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (header.Problem() is { } problem)
            throw new ArgumentException(problem, nameof(header));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(data.Length, PacketLayout.DataSize, nameof(data));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(packetNo, packetCount, nameof(packetNo));
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, PacketLayout.X86_64PacketSize, nameof(destination));

        var p = destination[..PacketLayout.X86_64PacketSize];
        p.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(p[PacketLayout.VersionOffset..], PacketLayout.Version3);
        BinaryPrimitives.WriteUInt16LittleEndian(p[PacketLayout.DumpIdOffset..], header.DumpId);
        BinaryPrimitives.WriteUInt16LittleEndian(p[PacketLayout.DataOffsetOffset..], PacketLayout.X86_64DataOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(p[PacketLayout.ArchOffset..], PacketLayout.ArchX86);
        BinaryPrimitives.WriteUInt16LittleEndian(p[PacketLayout.ArchOffsetOffset..], PacketLayout.X86_64ArchOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(p[PacketLayout.TypeOffset..], (ushort)header.Type);
        BinaryPrimitives.WriteUInt32LittleEndian(p[PacketLayout.PacketCountOffset..], packetCount);
        BinaryPrimitives.WriteUInt32LittleEndian(p[PacketLayout.PacketNoOffset..], packetNo);
        BinaryPrimitives.WriteUInt32LittleEndian(p[PacketLayout.BootIdOffset..], header.BootId);
        Encoding.UTF8.GetBytes(header.KernelVersion, p.Slice(PacketLayout.KernelVersionOffset, PacketLayout.KernelVersionSize));
        header.UserBlob.Span.CopyTo(p[PacketLayout.UserBlobOffset..]);

        var arch = p[PacketLayout.X86_64ArchOffset..];
        arch[0] = header.Cpu.Vendor;
        arch[1] = header.Cpu.Family;
        arch[2] = header.Cpu.Model;
        arch[3] = header.Cpu.Stepping;
        var regs = arch[PacketLayout.CpuSize..];
        for (var i = 0; i < X86Registers.Count; i++)
            BinaryPrimitives.WriteUInt64LittleEndian(regs[(i * 8)..], header.Registers[(X86Register)i]);

        data.CopyTo(p[PacketLayout.X86_64DataOffset..]);
        return PacketLayout.X86_64PacketSize;
    }

    private ushort U16(int offset) => BinaryPrimitives.ReadUInt16LittleEndian(_bytes[offset..]);
    private uint U32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(_bytes[offset..]);

    private static ReadOnlySpan<byte> UntilNul(ReadOnlySpan<byte> field)
    {
        var nul = field.IndexOf((byte)0);
        return nul < 0 ? field : field[..nul];
    }

    /// <summary>i386 pt_regs order: bx cx dx si di bp ax ds es fs gs orig_ax ip cs flags sp ss.</summary>
    private static readonly X86Register?[] I386Order =
    [
        X86Register.Bx, X86Register.Cx, X86Register.Dx, X86Register.Si, X86Register.Di, X86Register.Bp,
        X86Register.Ax, null, null, null, null, X86Register.OrigAx, X86Register.Ip, X86Register.Cs,
        X86Register.Flags, X86Register.Sp, X86Register.Ss,
    ];
}
