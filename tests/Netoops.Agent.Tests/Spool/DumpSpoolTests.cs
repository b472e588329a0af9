using System.Text;
using Netoops.Agent.Spool;

namespace Netoops.Agent.Tests.Spool;

public class DumpSpoolTests
{
    private static PendingDump Dump(string text) => new(
        DumpCause.Oops, [], Encoding.UTF8.GetBytes(text), null, 0, 6, 85, 7,
        "6.1.0", 0x1234, "host=a", "kmsg", DateTimeOffset.UnixEpoch);

    [Fact]
    public void A_spooled_dump_survives_a_new_spool_on_the_same_directory()
    {
        using var dir = new TempDirectory();
        new DumpSpool(dir.Path).Add(Dump("oops text"));

        var reopened = new DumpSpool(dir.Path);
        var entry = Assert.Single(reopened.Entries);
        var dump = reopened.Load(entry)!;
        Assert.Equal("oops text", Encoding.UTF8.GetString(dump.Newer));
        Assert.Equal(0x1234u, dump.BootId);
    }

    [Fact]
    public void Dumps_come_back_oldest_first_and_new_ones_continue_the_sequence()
    {
        using var dir = new TempDirectory();
        var spool = new DumpSpool(dir.Path);
        spool.Add(Dump("one"));
        spool.Add(Dump("two"));
        var reopened = new DumpSpool(dir.Path);
        reopened.Add(Dump("three"));

        var texts = reopened.Entries.Select(e => Encoding.UTF8.GetString(reopened.Load(e)!.Newer));
        Assert.Equal(["one", "two", "three"], texts);
    }

    [Fact]
    public void When_full_the_oldest_dump_is_dropped_and_counted()
    {
        using var dir = new TempDirectory();
        var spool = new DumpSpool(dir.Path, maxDumps: 2);
        spool.Add(Dump("one"));
        spool.Add(Dump("two"));
        spool.Add(Dump("three"));

        Assert.Equal(1, spool.Dropped);
        Assert.Equal(["two", "three"], spool.Entries.Select(e => Encoding.UTF8.GetString(spool.Load(e)!.Newer)));
        Assert.Equal(2, Directory.GetFiles(dir.Path).Length);
    }

    [Fact]
    public void A_byte_bound_drops_oldest_dumps_but_always_keeps_the_newest()
    {
        using var dir = new TempDirectory();
        var spool = new DumpSpool(dir.Path, maxBytes: 10);
        spool.Add(Dump("first"));
        spool.Add(Dump("second"));

        Assert.Single(spool.Entries);
        Assert.Equal(1, spool.Dropped);
    }

    [Fact]
    public void An_interrupted_write_is_discarded_on_start()
    {
        using var dir = new TempDirectory();
        dir.File("000000000007.dump.tmp", "{ half a dump");

        var spool = new DumpSpool(dir.Path);

        Assert.Empty(spool.Entries);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void A_corrupt_dump_file_is_set_aside_and_counted()
    {
        using var dir = new TempDirectory();
        dir.File("000000000001.dump", "not json");
        var spool = new DumpSpool(dir.Path);

        Assert.Null(spool.Load(spool.Entries[0]));
        Assert.Equal(1, spool.Unreadable);
        Assert.Empty(spool.Entries);
        Assert.True(File.Exists(Path.Combine(dir.Path, "000000000001.dump.bad")));
    }

    [Fact]
    public void Removing_a_delivered_dump_deletes_its_file()
    {
        using var dir = new TempDirectory();
        var spool = new DumpSpool(dir.Path);
        var entry = spool.Add(Dump("x"));
        spool.Remove(entry);

        Assert.Empty(new DumpSpool(dir.Path).Entries);
    }

    [Fact]
    public void The_spool_is_0700_and_its_dumps_0600_whatever_made_the_directory_before()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "spool");
        Directory.CreateDirectory(path, (UnixFileMode)Convert.ToInt32("755", 8)); // as a umask or a unit would
        var older = Path.Combine(path, "000000000001.dump");
        File.WriteAllBytes(older, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Dump("from an earlier version")));
        File.SetUnixFileMode(older, (UnixFileMode)Convert.ToInt32("644", 8));

        var spool = new DumpSpool(path);
        var added = spool.Add(Dump("new"));

        Assert.Equal("700", Octal(File.GetUnixFileMode(path)));
        Assert.Equal("600", Octal(File.GetUnixFileMode(older)));
        Assert.Equal("600", Octal(File.GetUnixFileMode(added.Path)));
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8);
}
