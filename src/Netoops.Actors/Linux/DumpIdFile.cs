using System.Globalization;
using Netoops.Actors.Ports;

namespace Netoops.Actors.Linux;

/// <summary>
/// The dump-id reservations as a small text file (<c>dump-ids</c> in the agent's state directory),
/// one line per boot, <c>BOOT_ID NEXT</c> in decimal, most recent first. Written to a temporary
/// file, fsync'ed and renamed over the old one, so a kill -9 or a power cut leaves either the old
/// reservations or the new ones, never a torn file. Mode 0600: it is the agent's state.
/// </summary>
public sealed class DumpIdFile(string path) : IDumpIdStore
{
    public string Path { get; } = path;

    public IReadOnlyList<DumpIdReservation> Load()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return []; // missing (first start) or unreadable: boots start again from the uptime rule
        }
        var reservations = new List<DumpIdReservation>();
        foreach (var line in lines)
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // A line that does not parse is skipped: the others still hold (and a new boot starts past uptime ids).
            if (fields.Length == 2
                && uint.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var boot)
                && ushort.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var next))
                reservations.Add(new DumpIdReservation(boot, next));
        }
        return reservations;
    }

    public void Save(IReadOnlyList<DumpIdReservation> reservations)
    {
        var temp = Path + ".tmp";
        var text = string.Concat(reservations.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.BootId} {r.Next}\n")));
        File.Delete(temp); // a leftover of an interrupted write would keep its old mode
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, Path, overwrite: true);
    }
}
