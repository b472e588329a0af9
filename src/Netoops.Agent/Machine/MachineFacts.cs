using System.Text;

namespace Netoops.Agent.Machine;

/// <summary>What a dump says about the machine that sent it.</summary>
/// <param name="BootUuid">This boot's /proc/sys/kernel/random/boot_id, to tell a reboot from an agent restart.</param>
public sealed record MachineFacts(CpuIdentity Cpu, string KernelRelease, uint BootId, string UserBlob, string BootUuid)
{
    public const int MaxUserBlobBytes = 128;

    /// <summary>
    /// Reads the facts from a filesystem root ("/" normally; a prepared folder in tests).
    /// Each missing file gives a neutral value rather than an error: an agent on an odd machine
    /// still ships its crashes.
    /// </summary>
    public static MachineFacts Read(string root = "/")
    {
        var cpu = CpuIdentity.FromCpuInfo(ReadOrEmpty(root, "proc/cpuinfo"));
        var release = ReadOrEmpty(root, "proc/sys/kernel/osrelease").Trim();
        var bootUuid = ReadOrEmpty(root, "proc/sys/kernel/random/boot_id").Trim();
        var bootId = BootIdFromUuid(bootUuid);
        var host = ReadOrEmpty(root, "proc/sys/kernel/hostname").Trim();
        var board = ReadOrEmpty(root, "sys/class/dmi/id/board_name").Trim();
        var bios = ReadOrEmpty(root, "sys/class/dmi/id/bios_version").Trim();
        return new MachineFacts(cpu, release, bootId, DefaultUserBlob(host, board, bios), bootUuid);
    }

    /// <summary>
    /// The first 4 bytes of the boot UUID, read as written (so "4e3f1a2b-…" is 0x4e3f1a2b and
    /// a collector shows the same hex prefix that `cat boot_id` shows); 0 when unreadable.
    /// </summary>
    public static uint BootIdFromUuid(string uuid)
    {
        var hex = uuid.Trim();
        return hex.Length >= 8 && uint.TryParse(hex.AsSpan(0, 8), System.Globalization.NumberStyles.HexNumber, null, out var id)
            ? id : 0u;
    }

    /// <summary>
    /// <c>host=…;board=…;bios=…</c>, at most 128 bytes. The separators are removed from values so
    /// that the blob stays parseable; when too long, the longest value is shortened first.
    /// </summary>
    public static string DefaultUserBlob(string host, string board, string bios)
    {
        var values = new[] { Clean(host), Clean(board), Clean(bios) };
        const int overhead = 5 + 7 + 6; // "host=" ";board=" ";bios="
        while (overhead + values.Sum(v => Encoding.UTF8.GetByteCount(v)) > MaxUserBlobBytes)
        {
            var longest = Array.IndexOf(values, values.MaxBy(v => v.Length));
            values[longest] = values[longest][..^1];
        }
        return $"host={values[0]};board={values[1]};bios={values[2]}";
    }

    private static string Clean(string value)
        => new(value.Where(c => c != ';' && c != '=' && !char.IsControl(c)).ToArray());

    private static string ReadOrEmpty(string root, string relative)
    {
        try { return File.ReadAllText(Path.Combine(root, relative)); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }
}
