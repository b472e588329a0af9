using System.CommandLine;
using Netoops.Protocol.Packets;

namespace Netoops.Cli.Commands.Wire;

/// <summary><c>netoops wire decode</c>: one JSON object per packet file.</summary>
internal static class WireDecodeCommand
{
    public static Command Create()
    {
        var packets = new Argument<string[]>("PACKET") { Description = "Packet files (one datagram each) or directories of *.bin", Arity = ArgumentArity.OneOrMore };
        var maxCount = new Option<uint>("--max-packet-count") { Description = "Refuse packet_count above this", DefaultValueFactory = _ => PacketLimits.DefaultMaxPacketCount };
        var command = new Command("decode", "Print each packet's header as one JSON line, or an error object for a bad packet (exit 1 if any is bad, 2 if a file is missing)");
        command.Arguments.Add(packets);
        command.Options.Add(maxCount);
        command.SetAction(parse =>
        {
            var missing = new List<string>();
            var files = PacketFiles.Expand(parse.GetValue(packets)!, missing);
            var limits = new PacketLimits(parse.GetValue(maxCount));
            var anyBad = false;
            foreach (var file in files)
            {
                var bytes = File.ReadAllBytes(file);
                var error = NetoopsPacket.TryDecode(bytes, limits, out var packet);
                anyBad |= error != PacketError.None;
                Console.Out.WriteLine(error == PacketError.None
                    ? PacketJson.Packet(file, packet)
                    : PacketJson.Error(file, error.Code(), error.Describe()));
            }
            foreach (var file in missing)
                Console.Out.WriteLine(PacketJson.Error(file, "no_such_file", "no such file or directory"));
            return missing.Count > 0 ? 2 : anyBad ? 1 : 0;
        });
        return command;
    }
}
