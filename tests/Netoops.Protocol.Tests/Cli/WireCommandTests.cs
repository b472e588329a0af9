using System.Text.Json;
using Netoops.Protocol.Packets;

namespace Netoops.Protocol.Tests.Cli;

public class WireCommandTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("netoops-wire-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private string Encode(int length, string name = "packets")
    {
        var text = Path.Combine(_work, name + ".txt");
        File.WriteAllBytes(text, Packets.Packets.Log(length));
        var output = Path.Combine(_work, name);
        var run = NetoopsCli.Run("wire", "encode", "--text", text, "--boot-id", "9", "--dump-id", "3", "--type", "oops",
            "--kernel-version", "6.1.0", "--out", output);
        Assert.Equal(0, run.ExitCode);
        return output;
    }

    [Fact]
    public void Decode_prints_one_json_object_per_packet_with_the_kernel_field_names()
    {
        var packets = Encode(1500);

        var run = NetoopsCli.Run("wire", "decode", packets);

        Assert.Equal(0, run.ExitCode);
        var lines = run.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        foreach (var field in new[] { "version", "dump_id", "data_offset", "arch", "arch_offset", "type", "packet_count", "packet_no",
            "boot_id", "kernel_version", "user_blob", "x86_vendor", "x86_family", "x86_model", "x86_stepping", "regs", "data_length" })
            Assert.True(root.TryGetProperty(field, out _), field);
        Assert.Equal(3, root.GetProperty("version").GetInt32());
        Assert.Equal(0, root.GetProperty("packet_no").GetInt32());
        Assert.Equal(1500 - 1024, root.GetProperty("data_length").GetInt32());
        Assert.Equal(21, root.GetProperty("regs").EnumerateObject().Count());
    }

    [Fact]
    public void Truncated_bit_flipped_and_random_datagrams_give_error_objects()
    {
        var valid = File.ReadAllBytes(Path.Combine(Encode(3000), "0001.bin"));
        var bad = Path.Combine(_work, "bad");
        Directory.CreateDirectory(bad);
        var random = new Random(11);
        var samples = new List<byte[]> { valid[..100], valid[..219], new byte[0] };
        var flipped = (byte[])valid.Clone();
        flipped[0] ^= 0x10;
        samples.Add(flipped);
        var absurd = (byte[])valid.Clone();
        absurd[15] = 0xff;
        samples.Add(absurd);
        for (var i = 0; i < 20; i++)
        {
            var noise = new byte[random.Next(1, 1500)];
            random.NextBytes(noise);
            samples.Add(noise);
        }
        for (var i = 0; i < samples.Count; i++)
            File.WriteAllBytes(Path.Combine(bad, $"{i:D4}.bin"), samples[i]);

        var run = NetoopsCli.Run("wire", "decode", bad);

        Assert.Equal(1, run.ExitCode);
        var lines = run.StdoutText.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(samples.Count, lines.Length);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.True(json.RootElement.TryGetProperty("error", out var error), line);
            Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        }
    }

    [Fact]
    public void Assemble_exits_1_and_names_the_missing_packets_of_a_partial_dump()
    {
        var packets = Encode(5000);
        File.Delete(Path.Combine(packets, "0002.bin"));

        var run = NetoopsCli.Run("wire", "assemble", packets);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("partial, missing packet_no 2", run.Stderr);
        Assert.Equal(5000 - 1024, run.Stdout.Length);
    }

    [Fact]
    public void Assemble_exits_2_when_no_file_is_a_packet()
    {
        var junk = Path.Combine(_work, "junk.bin");
        File.WriteAllText(junk, "hello");

        var run = NetoopsCli.Run("wire", "assemble", junk);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("not a netoops v3 packet", run.Stderr);
    }

    [Fact]
    public void Assemble_exits_2_on_a_missing_file() =>
        Assert.Equal(2, NetoopsCli.Run("wire", "assemble", Path.Combine(_work, "nope.bin")).ExitCode);

    [Fact]
    public void Encode_refuses_a_split_past_the_end_of_the_text()
    {
        var text = Path.Combine(_work, "short.txt");
        File.WriteAllText(text, "abc");

        var run = NetoopsCli.Run("wire", "encode", "--text", text, "--split", "4", "--boot-id", "1", "--dump-id", "1",
            "--type", "oops", "--kernel-version", "6.1.0", "--out", Path.Combine(_work, "o"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--split 4 is outside the text", run.Stderr);
    }

    [Fact]
    public void Encode_refuses_a_dump_id_over_16_bits()
    {
        var text = Path.Combine(_work, "t.txt");
        File.WriteAllText(text, "abc");

        var run = NetoopsCli.Run("wire", "encode", "--text", text, "--boot-id", "1", "--dump-id", "65536",
            "--type", "oops", "--kernel-version", "6.1.0", "--out", Path.Combine(_work, "o"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--dump-id must be a number from 0 to 65535", run.Stderr);
    }

    [Fact]
    public void The_demo_round_trips_its_sample()
    {
        var run = NetoopsCli.Run("wire", "demo");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("reassembled text is identical to the original", run.StdoutText);
    }

    [Fact]
    public void A_packet_from_encode_decodes_in_process_to_the_given_header()
    {
        var packet = File.ReadAllBytes(Path.Combine(Encode(10), "0000.bin"));

        Assert.Equal(PacketError.None, NetoopsPacket.TryDecode(packet, out var decoded));
        Assert.Equal((9u, (ushort)3, DumpType.Oops), (decoded.BootId, decoded.DumpId, decoded.Type));
    }
}
