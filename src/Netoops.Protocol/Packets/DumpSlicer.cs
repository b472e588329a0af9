namespace Netoops.Protocol.Packets;

/// <summary>
/// Cuts a log snapshot into packets exactly as the kernel driver numbers and orders them.
/// </summary>
/// <remarks>
/// The ring hands the log over as two segments, older then newer. Each segment is cut into 1 KiB
/// chunks from its start. The newer segment goes first, and inside a segment the newest chunk goes
/// first with the lowest number, so packet 0 carries the end of the log: the oops leaves the
/// machine before anything else. Unlike the kernel (<c>len % 1024</c>), a segment whose length is a
/// multiple of 1024 keeps its newest kilobyte.
/// </remarks>
public static class DumpSlicer
{
    /// <param name="fleetKey">When given, every packet is signed with it (<see cref="PacketTag"/>).</param>
    public static SlicedDump Slice(DumpHeader header, ReadOnlySpan<byte> older, ReadOnlySpan<byte> newer, byte[]? fleetKey = null)
    {
        if (header.Problem() is { } problem)
            throw new ArgumentException(problem, nameof(header));
        var newerChunks = ChunkCount(newer.Length);
        var olderChunks = ChunkCount(older.Length);
        var count = newerChunks + olderChunks;

        // One buffer for the whole dump: the packets are slices of it, written once, sent N times.
        var buffer = new byte[count * PacketLayout.X86_64PacketSize];
        var packets = new ReadOnlyMemory<byte>[count];
        var packetNo = 0;
        WriteSegment(newer, header, count, buffer, packets, ref packetNo, fleetKey);
        WriteSegment(older, header, count, buffer, packets, ref packetNo, fleetKey);
        return new SlicedDump(header, packets);
    }

    private static void WriteSegment(
        ReadOnlySpan<byte> segment, DumpHeader header, int count, byte[] buffer, ReadOnlyMemory<byte>[] packets, ref int packetNo, byte[]? fleetKey)
    {
        for (var chunk = ChunkCount(segment.Length) - 1; chunk >= 0; chunk--, packetNo++)
        {
            var start = chunk * PacketLayout.DataSize;
            var data = segment.Slice(start, Math.Min(PacketLayout.DataSize, segment.Length - start));
            var slot = buffer.AsMemory(packetNo * PacketLayout.X86_64PacketSize, PacketLayout.X86_64PacketSize);
            NetoopsPacket.Write(header, (uint)count, (uint)packetNo, data, slot.Span);
            if (fleetKey is not null) PacketTag.Sign(slot.Span, fleetKey);
            packets[packetNo] = slot;
        }
    }

    /// <summary>Slices a contiguous log as the newer segment alone (a ring that has not wrapped).</summary>
    public static SlicedDump Slice(DumpHeader header, ReadOnlySpan<byte> log) => Slice(header, [], log);

    /// <summary>ceil(length / 1024): the kernel's packet count for one segment.</summary>
    public static int ChunkCount(int length) => (length + PacketLayout.DataSize - 1) / PacketLayout.DataSize;
}

/// <summary>One dump's packets, in send order (index = packet_no).</summary>
public sealed record SlicedDump(DumpHeader Header, IReadOnlyList<ReadOnlyMemory<byte>> Packets)
{
    /// <summary>The whole dump repeated <paramref name="rounds"/> times, as the kernel retransmits it.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> SendOrder(int rounds = PacketLayout.DefaultRounds)
    {
        for (var round = 0; round < rounds; round++)
            foreach (var packet in Packets)
                yield return packet;
    }
}
