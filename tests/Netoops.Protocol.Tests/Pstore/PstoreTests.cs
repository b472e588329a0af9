using Netoops.Protocol.Pstore;

namespace Netoops.Protocol.Tests.Pstore;

public class PstoreTests
{
    [Theory]
    [InlineData("dmesg-ramoops-0", "dmesg", "ramoops", 0UL, false)]
    [InlineData("console-ramoops-0", "console", "ramoops", 0UL, false)]
    [InlineData("dmesg-efi-172345678901001", "dmesg", "efi", 172345678901001UL, false)]
    [InlineData("dmesg-ramoops-3.enc.z", "dmesg", "ramoops", 3UL, true)]
    [InlineData("powerpc-ofw-nvram-0", "powerpc-ofw", "nvram", 0UL, false)]
    public void File_names_split_into_type_backend_and_id(string name, string type, string backend, ulong id, bool compressed)
    {
        Assert.True(PstoreFileName.TryParse(name, out var parsed));

        Assert.Equal(new PstoreFileName(type, backend, id, compressed), parsed);
        Assert.Equal(name, parsed.ToString());
    }

    [Theory]
    [InlineData("dmesg")]
    [InlineData("dmesg-ramoops")]
    [InlineData("dmesg-ramoops-x")]
    [InlineData("dmesg--0")]
    [InlineData("-ramoops-0")]
    [InlineData("dmesg-ramoops--1")]
    public void Other_file_names_are_refused(string name) => Assert.False(PstoreFileName.TryParse(name, out _));

    [Fact]
    public void An_oops_record_header_gives_reason_count_part_and_the_log()
    {
        Assert.True(PstoreRecordHeader.TryParse("Oops#1 Part1\n<6>[    0.000000] Command line: x\n", out var header, out var log));

        Assert.Equal(new PstoreRecordHeader("Oops", 1, 1), header);
        Assert.True(header.IsCrash);
        Assert.Equal("<6>[    0.000000] Command line: x\n", log);
    }

    [Fact]
    public void A_ramoops_timestamp_line_before_the_header_is_skipped()
    {
        Assert.True(PstoreRecordHeader.TryParse("====1700000000.123456789-C\nPanic#2 Part3\nend", out var header, out var log));

        Assert.Equal("Panic#2 Part3", header.ToString());
        Assert.Equal("end", log);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<6>[    0.000000] Linux version")]
    [InlineData("Oops#x Part1\n")]
    [InlineData("Oops#1 Partx\n")]
    [InlineData("#1 Part1\n")]
    [InlineData("Oops 1 Part1\n")]
    public void Text_without_a_header_line_is_refused(string record) =>
        Assert.False(PstoreRecordHeader.TryParse(record, out _, out _));
}

public class PstorePartsTests
{
    [Fact]
    public void Parts_join_with_the_highest_part_first_because_part1_is_the_newest()
    {
        var parts = new[]
        {
            (new PstoreRecordHeader("Panic", 1, 1), "newest\n"),
            (new PstoreRecordHeader("Panic", 1, 3), "oldest\n"),
            (new PstoreRecordHeader("Panic", 1, 2), "middle\n"),
        };

        Assert.Equal("oldest\nmiddle\nnewest\n", PstoreParts.Join(parts));
    }
}
