using System.Text;
using Netoops.EndToEnd.Tests.Kernel;

namespace Netoops.EndToEnd.Tests.HarnessTests;

public sealed class SerialLogTests
{
    [Fact]
    public void Kernel_lines_are_told_apart_from_init_output_and_lose_the_tty_carriage_return()
    {
        const string serial = "[    0.000000] Linux version 6.1.0\r\nSegmentation fault\r\nkit: done\r\n[   12.345678] reboot: Power down\r\n";

        var lines = SerialLog.KernelLines(serial);

        Assert.Equal(["[    0.000000] Linux version 6.1.0", "[   12.345678] reboot: Power down"], lines);
    }

    [Fact]
    public void Pstore_records_between_markers_decode_to_the_guest_files_despite_a_kernel_line_inside()
    {
        var first = Convert.ToBase64String(Encoding.ASCII.GetBytes("Panic#1 Part1\n<0>[    5.4] Kernel panic"));
        var serial = $"kit: pstore-begin dmesg-ramoops-0\r\n{first[..8]}\r\n[    6.100000] random: crng init done\r\n{first[8..]}\r\n"
                     + "kit: pstore-end dmesg-ramoops-0\r\nkit: pstore-begin console-ramoops-0\r\nAA==\r\nkit: pstore-end console-ramoops-0\r\n";

        var records = SerialLog.PstoreRecords(serial);

        Assert.Equal("Panic#1 Part1\n<0>[    5.4] Kernel panic", Encoding.ASCII.GetString(records["dmesg-ramoops-0"]));
        Assert.Equal([0], records["console-ramoops-0"]);
    }

    [Fact]
    public void A_pstore_record_without_its_end_marker_is_refused_as_cut_short()
    {
        var refusal = Assert.Throws<InvalidDataException>(() => SerialLog.PstoreRecords("kit: pstore-begin dmesg-ramoops-0\nQUJD\n"));

        Assert.Contains("cut short", refusal.Message);
    }

    [Fact]
    public void A_pstore_record_holding_foreign_text_is_refused_with_the_line()
    {
        var refusal = Assert.Throws<InvalidDataException>(() =>
            SerialLog.PstoreRecords("kit: pstore-begin dmesg-ramoops-0\nQUJD\nSegmentation fault\nkit: pstore-end dmesg-ramoops-0\n"));

        Assert.Contains("'Segmentation fault'", refusal.Message);
    }

    [Fact]
    public void An_end_marker_for_another_record_is_refused()
    {
        var refusal = Assert.Throws<InvalidDataException>(() =>
            SerialLog.PstoreRecords("kit: pstore-begin dmesg-ramoops-0\nQUJD\nkit: pstore-end dmesg-ramoops-1\n"));

        Assert.Contains("dmesg-ramoops-1", refusal.Message);
    }
}
