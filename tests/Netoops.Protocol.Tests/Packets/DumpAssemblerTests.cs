using Netoops.Protocol.Packets;
using static Netoops.Protocol.Tests.Packets.Packets;

namespace Netoops.Protocol.Tests.Packets;

public class DumpAssemblerTests
{
    private static DumpAssembler Assemble(IEnumerable<ReadOnlyMemory<byte>> datagrams)
    {
        var assembler = new DumpAssembler();
        foreach (var datagram in datagrams)
        {
            Assert.Equal(PacketError.None, NetoopsPacket.TryDecode(datagram.Span, out var packet));
            assembler.Add(packet);
        }
        return assembler;
    }

    [Fact]
    public void Three_rounds_in_send_order_assemble_to_the_original_text()
    {
        var older = Log(2500);
        var newer = Log(1800);

        var assembler = Assemble(DumpSlicer.Slice(Header, older, newer).SendOrder(3));

        Assert.True(assembler.IsComplete);
        Assert.Equal([.. older, .. newer], assembler.Text());
        Assert.Equal(2 * 5, assembler.DuplicateCount);
        Assert.Equal(Header, assembler.Header);
    }

    [Fact]
    public void Packets_in_reverse_order_assemble_to_the_same_text()
    {
        var log = Log(7000);

        var assembler = Assemble(DumpSlicer.Slice(Header, log).Packets.Reverse());

        Assert.Equal(log, assembler.Text());
    }

    [Fact]
    public void A_lost_packet_leaves_a_partial_dump_naming_the_missing_number()
    {
        var dump = DumpSlicer.Slice(Header, Log(4000));

        var assembler = Assemble(dump.Packets.Where((_, i) => i != 2));
        var result = assembler.Result();

        Assert.False(result.IsComplete);
        Assert.Equal([2u], result.MissingPacketNumbers);
        Assert.Equal(4000 - 1024, result.Text.Length);
    }

    [Fact]
    public void A_duplicate_with_different_data_is_counted_and_never_merged()
    {
        var dump = DumpSlicer.Slice(Header, Log(2048));
        var forged = new byte[PacketLayout.X86_64PacketSize];
        NetoopsPacket.Write(Header, 2, 0, "forged"u8, forged);

        var assembler = Assemble([.. dump.Packets, forged]);

        Assert.Equal(1, assembler.ConflictingDuplicateCount);
        Assert.Equal(Log(2048), assembler.Text());
    }

    [Fact]
    public void A_packet_claiming_another_packet_count_is_refused_as_a_mismatch()
    {
        var dump = DumpSlicer.Slice(Header, Log(2048));
        var stray = new byte[PacketLayout.X86_64PacketSize];
        NetoopsPacket.Write(Header, 9, 5, "stray"u8, stray);
        var assembler = Assemble(dump.Packets);

        NetoopsPacket.TryDecode(stray, out var packet);
        Assert.Equal(AddOutcome.CountMismatch, assembler.Add(packet));
        Assert.Equal(1, assembler.CountMismatchCount);
        Assert.True(assembler.IsComplete);
    }

    [Fact]
    public void Collation_separates_dumps_and_lists_refused_datagrams()
    {
        var first = DumpSlicer.Slice(Header, Log(3000));
        var second = DumpSlicer.Slice(Header with { DumpId = 78, Type = DumpType.Soft }, Log(500));
        var junk = new ReadOnlyMemory<byte>(new byte[] { 1, 2, 3 });

        var collation = DumpCollation.Collate([.. first.Packets, junk, .. second.Packets]);

        Assert.Equal(2, collation.Dumps.Count);
        Assert.Equal(Log(3000), collation.Dumps[0].Text);
        Assert.Equal(DumpType.Soft, collation.Dumps[1].Header.Type);
        Assert.Equal([new RejectedDatagram(3, PacketError.WrongVersion)], collation.Rejected);
    }
}
