using System.CommandLine;
using Netoops.Protocol.Packets;

namespace Netoops.Cli.Commands.Wire;

/// <summary><c>netoops wire assemble</c>: packet files → each dump's text on stdout, byte for byte.</summary>
internal static class WireAssembleCommand
{
    public static Command Create()
    {
        var packets = new Argument<string[]>("PACKET") { Description = "Packet files (any order, any duplicates) or directories of *.bin", Arity = ArgumentArity.OneOrMore };
        var maxCount = new Option<uint>("--max-packet-count") { Description = "Refuse packets whose packet_count is above this", DefaultValueFactory = _ => PacketLimits.DefaultMaxPacketCount };
        var command = new Command("assemble",
            "Write each dump's text to stdout exactly and a summary to stderr; exit 0 when all are complete, 1 when any is partial, 2 on unusable input");
        command.Arguments.Add(packets);
        command.Options.Add(maxCount);
        command.SetAction(parse =>
        {
            var missing = new List<string>();
            var files = PacketFiles.Expand(parse.GetValue(packets)!, missing);
            foreach (var file in missing)
                Console.Error.WriteLine($"{file}: no such file or directory");
            if (missing.Count > 0)
                return 2;

            var collation = DumpCollation.Collate(files.Select(file => new ReadOnlyMemory<byte>(File.ReadAllBytes(file))),
                new PacketLimits(parse.GetValue(maxCount)));
            foreach (var rejected in collation.Rejected)
                Console.Error.WriteLine($"{files[rejected.Index]}: not a netoops v3 packet: {rejected.Error.Describe()}");
            if (collation.Dumps.Count == 0)
            {
                Console.Error.WriteLine("no usable packet");
                return 2;
            }

            using var stdout = Console.OpenStandardOutput();
            foreach (var dump in collation.Dumps)
            {
                stdout.Write(dump.Text);
                Console.Error.WriteLine(Summary(dump));
            }
            return collation.Dumps.All(d => d.IsComplete) ? 0 : 1;
        });
        return command;
    }

    /// <summary>3,4,5,9 → "3-5,9": a dump of thousands of packets stays one readable line.</summary>
    private static string Ranges(IReadOnlyList<uint> numbers)
    {
        var parts = new List<string>();
        for (var i = 0; i < numbers.Count;)
        {
            var j = i;
            while (j + 1 < numbers.Count && numbers[j + 1] == numbers[j] + 1)
                j++;
            parts.Add(i == j ? $"{numbers[i]}" : $"{numbers[i]}-{numbers[j]}");
            i = j + 1;
        }
        return string.Join(',', parts);
    }

    public static string Summary(AssembledDump dump)
    {
        var h = dump.Header;
        var state = dump.IsComplete
            ? "complete"
            : $"partial, missing packet_no {Ranges(dump.MissingPacketNumbers)}";
        return $"dump boot_id={h.BootId} dump_id={h.DumpId} type={h.Type.ToString().ToLowerInvariant()} kernel={h.KernelVersion}: "
            + $"{state}; {dump.PacketCount} packets, {dump.Text.Length} bytes, {dump.Duplicates} duplicates, {dump.ConflictingDuplicates} conflicting";
    }
}
