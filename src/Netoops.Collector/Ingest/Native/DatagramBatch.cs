using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static Netoops.Collector.Ingest.Native.MessageSyscalls;

namespace Netoops.Collector.Ingest.Native;

/// <summary>
/// The memory one recvmmsg/sendmmsg call works on: <see cref="Capacity"/> fixed-size payload slots
/// in one slab and, per slot, a socket address, a control area, an iovec and an mmsghdr already
/// pointing at them. Built once, reused for every call: nothing is allocated per datagram. All of
/// it lives on the pinned object heap, so the pointers the kernel follows never move.
/// </summary>
public sealed unsafe class DatagramBatch
{
    /// <summary>Room for a sockaddr_in6, the larger of the two families (28 bytes), rounded up.</summary>
    private const int AddressStride = 32;
    /// <summary>Room for one IP_PKTINFO control message (CMSG_SPACE(sizeof(in_pktinfo)) = 32).</summary>
    private const int ControlStride = 32;

    private readonly byte[] _payload;
    private readonly byte[] _addresses;
    private readonly byte[] _control;
    private readonly IoVec[] _iovecs;
    private readonly MultiMessageHeader[] _headers;

    public DatagramBatch(int capacity, int slotBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotBytes, 1);
        Capacity = capacity;
        SlotBytes = slotBytes;
        _payload = GC.AllocateUninitializedArray<byte>(capacity * slotBytes, pinned: true);
        _addresses = GC.AllocateArray<byte>(capacity * AddressStride, pinned: true);
        _control = GC.AllocateArray<byte>(capacity * ControlStride, pinned: true);
        _iovecs = GC.AllocateArray<IoVec>(capacity, pinned: true);
        _headers = GC.AllocateArray<MultiMessageHeader>(capacity, pinned: true);
        for (var i = 0; i < capacity; i++)
        {
            _iovecs[i].Base = Pointer(_payload, i * slotBytes);
            _iovecs[i].Length = (nuint)slotBytes;
            ref var header = ref _headers[i].Header;
            header.Name = Pointer(_addresses, i * AddressStride);
            header.NameLength = AddressStride;
            header.Iov = (IoVec*)Unsafe.AsPointer(ref _iovecs[i]);
            header.IovLength = 1;
        }
    }

    public int Capacity { get; }
    public int SlotBytes { get; }

    internal MultiMessageHeader* Headers => (MultiMessageHeader*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_headers));

    /// <summary>Makes the first <paramref name="count"/> slots ready to receive (the kernel shrinks these fields on each call).</summary>
    public void PrepareReceive(int count)
    {
        for (var i = 0; i < count; i++)
        {
            ref var header = ref _headers[i].Header;
            header.NameLength = AddressStride;
            header.Control = null;
            header.ControlLength = 0;
            header.Flags = 0;
            _iovecs[i].Length = (nuint)SlotBytes;
        }
    }

    /// <summary>The bytes received into slot <paramref name="i"/> (valid until the next call reuses it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlyMemory<byte> Received(int i) => _payload.AsMemory(i * SlotBytes, (int)Math.Min(_headers[i].Length, (uint)SlotBytes));

    /// <summary>The datagram was longer than a slot and the kernel cut it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Truncated(int i) => (_headers[i].Header.Flags & MsgTrunc) != 0;

    /// <summary>Where slot <paramref name="i"/>'s datagram came from.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SourceAddress Source(int i)
    {
        var raw = _addresses.AsSpan(i * AddressStride, AddressStride);
        var port = BinaryPrimitives.ReadUInt16BigEndian(raw[2..]);
        return BinaryPrimitives.ReadUInt16LittleEndian(raw) == AfInet
            ? SourceAddress.FromV4(BinaryPrimitives.ReadUInt32BigEndian(raw[4..]), port)
            : new SourceAddress(BinaryPrimitives.ReadUInt128BigEndian(raw[8..]), port);
    }

    /// <summary>Slot <paramref name="i"/>'s whole payload area, to write a datagram into before sending.</summary>
    public Span<byte> Slot(int i) => _payload.AsSpan(i * SlotBytes, SlotBytes);

    /// <summary>
    /// Readies slot <paramref name="i"/> to send its first <paramref name="length"/> bytes to an IPv4
    /// <paramref name="destination"/> from <paramref name="source"/>: a local address the kernel puts
    /// in the packet (IP_PKTINFO), so one socket can speak for many hosts of 127.0.0.0/8.
    /// </summary>
    public void PrepareSend(int i, int length, uint destinationHostOrder, ushort destinationPort, uint sourceHostOrder)
    {
        var name = _addresses.AsSpan(i * AddressStride, AddressStride);
        name.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(name, AfInet);
        BinaryPrimitives.WriteUInt16BigEndian(name[2..], destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(name[4..], destinationHostOrder);

        // struct cmsghdr { size_t len; int level; int type; } then struct in_pktinfo { int ifindex; in_addr spec_dst; in_addr addr; }
        var control = _control.AsSpan(i * ControlStride, ControlStride);
        control.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(control, 16 + 12);
        BinaryPrimitives.WriteInt32LittleEndian(control[8..], IpProtoIp);
        BinaryPrimitives.WriteInt32LittleEndian(control[12..], IpPktInfo);
        BinaryPrimitives.WriteUInt32BigEndian(control[20..], sourceHostOrder);

        ref var header = ref _headers[i].Header;
        header.NameLength = 16;
        header.Control = Pointer(_control, i * ControlStride);
        header.ControlLength = ControlStride;
        header.Flags = 0;
        _iovecs[i].Length = (nuint)length;
    }

    private static byte* Pointer(byte[] pinned, int offset) =>
        (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned)) + offset;
}
