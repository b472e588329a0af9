using FsCheck;
using FsCheck.Xunit;
using Netoops.Protocol.Packets;

namespace Netoops.Protocol.Tests.Packets;

public class PacketPropertyTests
{
    /// <summary>Text built from any byte pattern, NUL replaced (log text never holds NUL), up to ~12 KiB.</summary>
    private static byte[] TextFrom(byte[]? pattern, int length)
    {
        pattern = pattern is { Length: > 0 } ? pattern : [(byte)'x'];
        // Multiples of 1024 are the kernel's defect case: make them frequent.
        length = length % 3 == 0 ? length % 12 * 1024 : length % 12_000;
        var text = new byte[length];
        for (var i = 0; i < length; i++)
            text[i] = pattern[i % pattern.Length] is 0 ? (byte)'.' : pattern[i % pattern.Length];
        return text;
    }

    [Property(MaxTest = 300)]
    public bool Any_text_any_split_any_loss_leaving_one_copy_of_each_packet_gives_the_same_text(
        byte[] pattern, NonNegativeInt length, NonNegativeInt split, int lossSeed)
    {
        var text = TextFrom(pattern, length.Get);
        var at = text.Length == 0 ? 0 : split.Get % (text.Length + 1);
        var dump = DumpSlicer.Slice(Packets.Header, text.AsSpan(0, at), text.AsSpan(at));
        var random = new Random(lossSeed);

        // Three rounds; of each packet's three copies keep a random non-empty subset, then shuffle.
        var kept = new List<ReadOnlyMemory<byte>>();
        foreach (var packet in dump.Packets)
        {
            var keep = random.Next(1, 8);
            for (var copy = 0; copy < 3; copy++)
                if ((keep & (1 << copy)) != 0)
                    kept.Add(packet);
        }
        var arrived = kept.OrderBy(_ => random.Next()).ToList();

        var collation = DumpCollation.Collate(arrived);

        return text.Length == 0
            ? collation.Dumps.Count == 0
            : collation.Dumps.Count == 1 && collation.Dumps[0].IsComplete && collation.Dumps[0].Text.AsSpan().SequenceEqual(text);
    }

    [Property(MaxTest = 200)]
    public bool Packet_numbers_run_from_0_and_text_order_is_highest_number_first(
        byte[] pattern, NonNegativeInt length, NonNegativeInt split)
    {
        var text = TextFrom(pattern, length.Get);
        var at = text.Length == 0 ? 0 : split.Get % (text.Length + 1);
        var dump = DumpSlicer.Slice(Packets.Header, text.AsSpan(0, at), text.AsSpan(at));

        var numbers = dump.Packets.Select(p => Packets.Fields(p).No).ToList();
        var inTextOrder = dump.Packets.Reverse().SelectMany(Packets.RawData).ToArray();

        return numbers.SequenceEqual(Enumerable.Range(0, numbers.Count).Select(i => (uint)i))
            && dump.Packets.Count == DumpSlicer.ChunkCount(at) + DumpSlicer.ChunkCount(text.Length - at)
            && inTextOrder.AsSpan().SequenceEqual(text);
    }

    [Property(MaxTest = 200)]
    public bool Header_fields_survive_a_round_trip(ushort dumpId, uint bootId, bool soft, byte vendor, ulong ip, ulong sp)
    {
        var registers = X86Registers.AtKernelIp(ip);
        registers[X86Register.Sp] = sp;
        var header = new DumpHeader
        {
            DumpId = dumpId,
            BootId = bootId,
            Type = soft ? DumpType.Soft : DumpType.Oops,
            KernelVersion = $"6.{vendor}.0",
            UserBlob = new byte[] { vendor, 1, 2 },
            Cpu = new X86Cpu(vendor, 6, 85, 7),
            Registers = registers,
        };
        var packet = DumpSlicer.Slice(header, "x"u8).Packets[0];

        NetoopsPacket.TryDecode(packet.Span, out var decoded);
        return decoded.ToHeader() == header;
    }
}
