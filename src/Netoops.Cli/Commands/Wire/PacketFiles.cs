namespace Netoops.Cli.Commands.Wire;

/// <summary>PACKET arguments: files of one datagram each; a directory stands for its *.bin files in name order.</summary>
internal static class PacketFiles
{
    public static List<string> Expand(IEnumerable<string> arguments, List<string> missing)
    {
        var files = new List<string>();
        foreach (var argument in arguments)
        {
            if (Directory.Exists(argument))
                files.AddRange(Directory.EnumerateFiles(argument, "*.bin").Order(StringComparer.Ordinal));
            else if (File.Exists(argument))
                files.Add(argument);
            else
                missing.Add(argument);
        }
        return files;
    }
}
