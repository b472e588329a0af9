using Netoops.Protocol.Packets;
using Netoops.Protocol.Tests.Packets;

namespace Netoops.Protocol.Tests.Cli;

/// <summary>
/// Acceptance: packets made by an independent C program with the packed struct decode and assemble
/// to the original text, and <c>netoops wire encode</c> writes byte-identical files for the same inputs.
/// </summary>
public class WireEncodeMatchesCTests(GoldenCProgram c) : IClassFixture<GoldenCProgram>
{
    public static TheoryData<int, int, string, string> Cases => new()
    {
        // text length, split, rip, type
        { 1, 0, "-", "1" },
        { 1024, 0, "-", "1" },           // one segment, a multiple of 1024: the kernel's defect case
        { 2048, 1024, "ffffffffc0a01011", "1" }, // both segments multiples of 1024
        { 3072, 0, "-", "3" },
        { 3000, 1000, "ffffffff81000000", "1" },
        { 9000, 4321, "-", "3" },
        { 500, 500, "-", "1" },          // everything in the older segment
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Wire_encode_is_byte_identical_to_the_C_program_and_C_packets_assemble_to_the_text(
        int length, int split, string rip, string type)
    {
        var work = Path.Combine(c.Directory, $"case-{length}-{split}-{type}-{rip}");
        var textFile = Path.Combine(work, "log.txt");
        Directory.CreateDirectory(work);
        var text = Packets.Packets.Log(length);
        File.WriteAllBytes(textFile, text);
        var fromC = Path.Combine(work, "c");
        var fromCli = Path.Combine(work, "cli");
        Directory.CreateDirectory(fromC);

        var cRun = NetoopsCli.Run(c.Executable,
            [textFile, $"{split}", "0xA1B2C3D4", "4660", type, "6.1.0-56-cloud-amd64", "rack=b7", "2", "25", "1", "1", rip, "3", fromC]);
        string[] ripArgs = rip == "-" ? [] : ["--rip", rip];
        var cliRun = NetoopsCli.Run(["wire", "encode", "--text", textFile, "--split", $"{split}", "--boot-id", "0xA1B2C3D4",
            "--dump-id", "4660", "--type", type == "3" ? "soft" : "oops", "--kernel-version", "6.1.0-56-cloud-amd64",
            "--user-blob", "rack=b7", "--cpu", "2:25:1:1", .. ripArgs, "--rounds", "3", "--out", fromCli]);

        Assert.Equal(0, cRun.ExitCode);
        Assert.Equal(0, cliRun.ExitCode);
        var cFiles = Directory.GetFiles(fromC).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(3 * (DumpSlicer.ChunkCount(split) + DumpSlicer.ChunkCount(length - split)), cFiles.Count);
        Assert.Equal(cFiles, Directory.GetFiles(fromCli).Select(Path.GetFileName).Order().ToList());
        foreach (var file in cFiles)
            Assert.True(File.ReadAllBytes(Path.Combine(fromC, file!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(fromCli, file!))), $"{file} differs");

        var assembled = NetoopsCli.Run("wire", "assemble", fromC);
        Assert.Equal(0, assembled.ExitCode);
        Assert.Equal(text, assembled.Stdout);
    }

    [Fact]
    public void Full_length_kernel_version_and_user_blob_fields_match_the_C_program()
    {
        var work = Path.Combine(c.Directory, "full-fields");
        Directory.CreateDirectory(work);
        var textFile = Path.Combine(work, "log.txt");
        File.WriteAllBytes(textFile, Packets.Packets.Log(1500));
        var version = new string('k', 64);
        var blob = new string('b', 128);

        var cRun = NetoopsCli.Run(c.Executable, [textFile, "0", "1", "2", "1", version, blob, "0", "6", "85", "7", "-", "1", work]);
        var cliRun = NetoopsCli.Run("wire", "encode", "--text", textFile, "--boot-id", "1", "--dump-id", "2", "--type", "oops",
            "--kernel-version", version, "--user-blob", blob, "--cpu", "0:6:85:7", "--out", Path.Combine(work, "cli"));

        Assert.Equal((0, 0), (cRun.ExitCode, cliRun.ExitCode));
        foreach (var name in new[] { "0000.bin", "0001.bin" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(work, name)), File.ReadAllBytes(Path.Combine(work, "cli", name)));
    }

    [Fact]
    public void C_packets_shuffled_with_a_round_missing_per_packet_assemble_in_process()
    {
        var work = Path.Combine(c.Directory, "shuffled");
        Directory.CreateDirectory(work);
        var text = Packets.Packets.Log(6000);
        File.WriteAllBytes(Path.Combine(work, "log.txt"), text);
        NetoopsCli.Run(c.Executable, [Path.Combine(work, "log.txt"), "2500", "1", "2", "1", "6.1.0", "", "255", "0", "0", "0", "-", "2", work]);

        var random = new Random(3);
        var datagrams = Directory.GetFiles(work, "*.bin").Order().Skip(7) // first round partly lost
            .Select(f => new ReadOnlyMemory<byte>(File.ReadAllBytes(f))).OrderBy(_ => random.Next());
        var dump = DumpCollation.Collate(datagrams).Dumps.Single();

        Assert.True(dump.IsComplete);
        Assert.Equal(text, dump.Text);
    }
}
