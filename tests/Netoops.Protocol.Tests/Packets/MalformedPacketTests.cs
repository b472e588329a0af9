using Netoops.Protocol.Packets;

namespace Netoops.Protocol.Tests.Packets;

/// <summary>Hostile and damaged datagrams: each gives a typed error or a usable packet, never a throw.</summary>
public class MalformedPacketTests
{
    private static readonly byte[] Valid = DumpSlicer.Slice(Packets.Header, Packets.Log(3000)).Packets[1].ToArray();

    /// <summary>Decodes and, when accepted, reads every field and assembles it: nothing may throw.</summary>
    private static PacketError DecodeAndUse(byte[] datagram)
    {
        var error = NetoopsPacket.TryDecode(datagram, out var packet);
        if (error == PacketError.None)
        {
            _ = packet.ToHeader();
            _ = packet.Data.Length;
            new DumpAssembler().Add(packet);
        }
        return error;
    }

    [Fact]
    public void Every_truncation_of_a_packet_is_refused_until_the_data_starts()
    {
        for (var length = 0; length < Valid.Length; length++)
        {
            var error = DecodeAndUse(Valid[..length]);
            if (length < PacketLayout.X86_64DataOffset)
                Assert.NotEqual(PacketError.None, error);
            else
                Assert.Equal(PacketError.None, error);
        }
    }

    [Fact]
    public void Every_single_bit_flip_in_the_header_gives_an_error_or_a_usable_packet()
    {
        var outcomes = new HashSet<PacketError>();
        for (var bit = 0; bit < PacketLayout.X86_64DataOffset * 8; bit++)
        {
            var flipped = (byte[])Valid.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            outcomes.Add(DecodeAndUse(flipped));
        }
        // Flips hit version, arch, type, offsets and counts: each kind of refusal shows up.
        Assert.Superset(new HashSet<PacketError>
        {
            PacketError.None, PacketError.WrongVersion, PacketError.UnsupportedArch, PacketError.UnknownDumpType,
            PacketError.ArchOffsetOutOfRange, PacketError.DataOffsetOutOfRange, PacketError.PacketNoOutOfRange,
            PacketError.PacketCountOverCap,
        }, outcomes);
    }

    [Fact]
    public void Random_datagrams_of_every_size_never_throw()
    {
        var random = new Random(2004);
        for (var i = 0; i < 20_000; i++)
        {
            var datagram = new byte[random.Next(0, 1600)];
            random.NextBytes(datagram);
            if (i % 2 == 0 && datagram.Length >= 12)
            {
                // Half of them get a plausible start so that the deeper checks are reached too.
                Valid.AsSpan(0, 12).CopyTo(datagram);
            }
            DecodeAndUse(datagram);
        }
    }

    [Fact]
    public void Random_bytes_after_a_valid_header_are_usable_data()
    {
        var random = new Random(7);
        var datagram = (byte[])Valid.Clone();
        random.NextBytes(datagram.AsSpan(PacketLayout.X86_64DataOffset));

        Assert.Equal(PacketError.None, DecodeAndUse(datagram));
    }
}
