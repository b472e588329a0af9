using System.CommandLine;
using Netoops.Protocol.Packets;

namespace Netoops.Cli.Commands.Wire;

/// <summary><c>netoops wire encode</c>: a text file → the packets the kernel would send for it.</summary>
internal static class WireEncodeCommand
{
    public static Command Create()
    {
        var text = new Option<FileInfo>("--text") { HelpName = "FILE", Description = "The log text to send", Required = true };
        var split = new Option<int?>("--split") { HelpName = "BYTES", Description = "Cut the text as a wrapped ring hands it over: older = text[0:BYTES], newer = the rest (default 0: all newer)" };
        var bootId = new Option<string>("--boot-id") { HelpName = "N", Description = "boot_id (u32; decimal or 0x hex)", Required = true };
        var dumpId = new Option<string>("--dump-id") { HelpName = "N", Description = "dump_id (u16; decimal or 0x hex)", Required = true };
        var type = new Option<string>("--type") { Description = "oops (type 1, printk buffer) or soft (type 3, soft dump)", Required = true };
        type.AcceptOnlyFromAmong("oops", "soft");
        var kernelVersion = new Option<string>("--kernel-version") { HelpName = "S", Description = "uname -r, at most 64 bytes", Required = true };
        var userBlob = new Option<string>("--user-blob") { HelpName = "S", Description = "User blob text, at most 128 bytes", DefaultValueFactory = _ => "" };
        var cpu = new Option<string>("--cpu") { HelpName = "VENDOR:FAMILY:MODEL:STEPPING", Description = "VENDOR:FAMILY:MODEL:STEPPING, bytes (vendor 0 Intel, 2 AMD, 255 unknown; default 255:0:0:0)" };
        var rip = new Option<string>("--rip") { HelpName = "HEX", Description = "Instruction pointer (hex); sets cs 0x10 and flags 0x246, other registers zero" };
        var rounds = new Option<int>("--rounds") { HelpName = "N", Description = "Times the whole dump is written, as retransmitted (the kernel sends 3)", DefaultValueFactory = _ => 1 };
        var output = new Option<DirectoryInfo>("--out") { HelpName = "DIR", Description = "Directory for 0000.bin, 0001.bin, … in send order", Required = true };

        var command = new Command("encode", "Slice a log text into netoops v3 packets exactly as the kernel numbers and orders them");
        foreach (var option in new Option[] { text, split, bootId, dumpId, type, kernelVersion, userBlob, cpu, rip, rounds, output })
            command.Options.Add(option);

        command.SetAction(parse =>
        {
            if (!NumberText.TryParse(parse.GetValue(bootId), uint.MaxValue, out var boot))
                return Fail("--boot-id must be a number from 0 to 4294967295");
            if (!NumberText.TryParse(parse.GetValue(dumpId), ushort.MaxValue, out var dump))
                return Fail("--dump-id must be a number from 0 to 65535");
            if (!TryParseCpu(parse.GetValue(cpu), out var cpuFields))
                return Fail("--cpu must be VENDOR:FAMILY:MODEL:STEPPING, four numbers from 0 to 255");
            var registers = new X86Registers();
            if (parse.GetValue(rip) is { } ripText)
            {
                if (!NumberText.TryParseHex(ripText, out var ip))
                    return Fail("--rip must be a 64-bit hex number, e.g. ffffffffc0a01011");
                registers = X86Registers.AtKernelIp(ip);
            }
            var roundCount = parse.GetValue(rounds);
            if (roundCount < 1)
                return Fail("--rounds must be at least 1");

            var textFile = parse.GetValue(text)!;
            if (!textFile.Exists)
                return Fail($"{textFile.FullName}: no such file");
            var log = File.ReadAllBytes(textFile.FullName);
            var at = parse.GetValue(split) ?? 0;
            if (at < 0 || at > log.Length)
                return Fail($"--split {at} is outside the text (0 to {log.Length} bytes)");

            var header = new DumpHeader
            {
                BootId = (uint)boot,
                DumpId = (ushort)dump,
                Type = parse.GetValue(type) == "soft" ? DumpType.Soft : DumpType.Oops,
                KernelVersion = parse.GetValue(kernelVersion)!,
                UserBlob = DumpHeader.BlobFromText(parse.GetValue(userBlob)!),
                Cpu = cpuFields,
                Registers = registers,
            };
            if (header.Problem() is { } problem)
                return Fail(problem);

            var directory = parse.GetValue(output)!;
            directory.Create();
            if (directory.EnumerateFiles("*.bin").Any())
                return Fail($"{directory.FullName} already holds .bin files; give an empty directory so dumps do not mix");

            var packetCount = DumpSlicer.ChunkCount(at) + DumpSlicer.ChunkCount(log.Length - at);
            if (packetCount > PacketLimits.DefaultMaxPacketCount)
                Console.Error.WriteLine($"warning: {packetCount} packets per round; receivers refuse more than {PacketLimits.DefaultMaxPacketCount} by default");
            var sliced = DumpSlicer.Slice(header, log.AsSpan(0, at), log.AsSpan(at));
            var index = 0;
            foreach (var packet in sliced.SendOrder(roundCount))
                File.WriteAllBytes(Path.Combine(directory.FullName, $"{index++:D4}.bin"), packet.ToArray());
            Console.Error.WriteLine($"wrote {index} packets ({sliced.Packets.Count} per round × {roundCount}) of {log.Length} text bytes to {directory.FullName}");
            return 0;
        });
        return command;
    }

    private static bool TryParseCpu(string? text, out X86Cpu cpu)
    {
        cpu = X86Cpu.Unknown;
        if (text is null)
            return true;
        var parts = text.Split(':');
        var bytes = new byte[4];
        if (parts.Length != 4)
            return false;
        for (var i = 0; i < 4; i++)
        {
            if (!NumberText.TryParse(parts[i], byte.MaxValue, out var value))
                return false;
            bytes[i] = (byte)value;
        }
        cpu = new X86Cpu(bytes[0], bytes[1], bytes[2], bytes[3]);
        return true;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"netoops wire encode: {message}");
        return 2;
    }
}
