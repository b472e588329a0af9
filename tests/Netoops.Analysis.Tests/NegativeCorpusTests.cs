namespace Netoops.Analysis.Tests;

/// <summary>
/// Real boot logs with no crash in them (Negative/, recorded by tests/kernel/record-boot-logs.sh):
/// the analyser must find nothing. A boot-time notice such as the srso
/// <c>WARNING: See https://kernel.org/doc/...</c> is printed by every ordinary machine, so taking it
/// for a crash would file a report for each boot.
/// </summary>
public class NegativeCorpusTests
{
    /// <summary>Copied next to the test assembly by the project file.</summary>
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Negative");

    /// <summary>Every recording: console logs, syslog streams and the /dev/kmsg record dump.</summary>
    public static TheoryData<string> Logs()
    {
        var data = new TheoryData<string>();
        foreach (var path in RecordedFiles())
            data.Add(Path.GetRelativePath(Directory, path));
        return data;
    }

    private static IEnumerable<string> RecordedFiles() =>
        System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories)
            .Where(p => Path.GetExtension(p) is ".log" or ".kmsg")
            .Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Logs))]
    public void A_boot_without_a_crash_is_not_reported_as_one(string name)
    {
        var text = File.ReadAllText(Path.Combine(Directory, name));
        var report = CrashAnalyzer.Analyze(text);
        // The title and the line it starts at say at once which notice was taken for a crash.
        var lines = CrashAnalyzer.SplitLines(text);
        Assert.True(report == null,
            report == null ? "" : $"{name}: reported \"{report.Title}\" ({report.Kind}) at line {report.StartLine + 1}: " +
                                  $"{(report.StartLine < lines.Count ? lines[report.StartLine].TrimEnd('\r') : "?")}");
    }

    [Fact]
    public void The_corpus_is_there_so_the_theory_cannot_pass_on_nothing()
    {
        var logs = RecordedFiles().Where(p => p.EndsWith(".log", StringComparison.Ordinal)).ToList();
        Assert.True(logs.Count >= 30, $"{logs.Count} boot logs in {Directory}, expected at least 30");
        Assert.Contains(logs, p => Path.GetFileName(p).StartsWith("syslog.", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(Directory, "kmsg", "boot.kmsg")), "kmsg/boot.kmsg is missing");
        // A recording cut short (qemu killed, a marker missed) would be a weak negative case. A
        // console log ends with the power-off (with quiet it is all but that line and the notices);
        // a syslog stream holds the kernel's boot from its first line.
        Assert.All(logs, p =>
        {
            var text = File.ReadAllText(p);
            bool whole = Path.GetFileName(p).StartsWith("syslog.", StringComparison.Ordinal)
                ? text.Contains("kernel: [    0.000000] Linux version ", StringComparison.Ordinal)
                : text.TrimEnd().EndsWith("reboot: Power down", StringComparison.Ordinal);
            Assert.True(whole, $"{p} is not a whole recording");
        });
    }
}
