using System.CommandLine;
using System.Text;
using Netoops.Protocol.Packets;

namespace Netoops.Cli.Commands.Wire;

/// <summary>
/// <c>netoops wire demo</c>: the whole wire path on a built-in oops, in memory: slice as the kernel
/// does, send three rounds through a lossy, reordering "network", decode, reassemble, compare.
/// </summary>
internal static class WireDemoCommand
{
    public static Command Create()
    {
        var seed = new Option<int>("--seed") { Description = "Seed for the simulated loss and reordering", DefaultValueFactory = _ => 2004 };
        var command = new Command("demo", "Slice a sample oops into netoops v3 packets, lose and shuffle some, decode and reassemble them");
        command.Options.Add(seed);
        command.SetAction(parse =>
        {
            var log = SampleOops.Log();
            var older = log.Length / 3; // as if the ring had wrapped a third of the way in
            var header = new DumpHeader
            {
                BootId = 0x2a, DumpId = 6229, Type = DumpType.Oops, KernelVersion = SampleOops.KernelVersion,
                UserBlob = DumpHeader.BlobFromText("rack=b7 slot=12"), Cpu = new X86Cpu(2, 25, 1, 1),
                Registers = X86Registers.AtKernelIp(0xffffffffc0a01011),
            };
            var dump = DumpSlicer.Slice(header, log.AsSpan(0, older), log.AsSpan(older));
            Console.WriteLine($"sliced {log.Length} bytes (older {older} + newer {log.Length - older}) into {dump.Packets.Count} packets of {PacketLayout.X86_64PacketSize} bytes");
            Console.WriteLine($"packet 0, sent first, carries the newest line: {LastLine(dump.Packets[0])}");

            // Three rounds; the network loses and reorders, but leaves at least one copy of each packet.
            var random = new Random(parse.GetValue(seed));
            var sent = dump.SendOrder(PacketLayout.DefaultRounds).ToList();
            var arrived = sent.Where((_, i) => i < dump.Packets.Count || random.Next(3) > 0).OrderBy(_ => random.Next()).ToList();
            Console.WriteLine($"sent {sent.Count} datagrams in {PacketLayout.DefaultRounds} rounds; {arrived.Count} arrived, shuffled");

            var collation = DumpCollation.Collate(arrived);
            var result = collation.Dumps.Single();
            Console.WriteLine(WireAssembleCommand.Summary(result));
            var same = result.Text.AsSpan().SequenceEqual(log);
            Console.WriteLine(same ? "round trip: reassembled text is identical to the original" : "round trip: TEXT DIFFERS");
            return same ? 0 : 1;
        });
        return command;
    }

    private static string LastLine(ReadOnlyMemory<byte> datagram)
    {
        NetoopsPacket.TryDecode(datagram.Span, out var packet);
        return Encoding.ASCII.GetString(packet.Data).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
    }
}
