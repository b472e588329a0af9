using System.CommandLine;

namespace Netoops.Cli.Commands.Wire;

/// <summary><c>netoops wire</c>: tools for people debugging captures of netoops v3 packets.</summary>
internal static class WireCommand
{
    public static Command Create()
    {
        var wire = new Command("wire", "Encode, decode and reassemble netoops v3 packets (files of one datagram each)");
        wire.Subcommands.Add(WireEncodeCommand.Create());
        wire.Subcommands.Add(WireDecodeCommand.Create());
        wire.Subcommands.Add(WireAssembleCommand.Create());
        wire.Subcommands.Add(WireDemoCommand.Create());
        return wire;
    }
}
