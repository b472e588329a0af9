namespace Netoops.EndToEnd.Tests.Kernel;

/// <summary>What the pstore scenario produced: the serial console and the records it carried out.</summary>
public sealed record PstoreCapture(GuestRun Run, string RecordsFolder, IReadOnlyDictionary<string, byte[]> Records);

/// <summary>
/// Boots the guest with ramoops over a reserved megabyte of RAM, lets it panic and reboot inside
/// the same qemu process (the RAM, and so the record, survives a warm reboot), and collects the
/// records the second boot prints on the serial console into a folder, as /sys/fs/pstore held them.
/// </summary>
public static class PstoreBoot
{
    /// <summary>Must match ramoops' mem_address/mem_size in the guest's /init.</summary>
    private const string ReservedMemory = "memmap=1M$0xF000000";

    public static async Task<PstoreCapture> RunAsync(GuestKit kit, ScenarioLog log)
    {
        var boot = new GuestBoot("pstore", [ReservedMemory],
            RebootAllowed: true, MaxBoots: 2, TimeLimit: TimeSpan.FromMinutes(6));
        var run = await QemuGuest.RunAsync(kit, boot, log);

        var folder = log.PathOf("pstore");
        Directory.CreateDirectory(folder);
        var records = SerialLog.PstoreRecords(run.Serial);
        foreach (var (name, content) in records)
        {
            // The names come from the guest: keep only a plain file name.
            await File.WriteAllBytesAsync(Path.Combine(folder, Path.GetFileName(name)), content);
            log.Step($"pstore record {name}: {content.Length} bytes");
        }
        return new PstoreCapture(run, folder, records);
    }
}
