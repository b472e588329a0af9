using System.Text.RegularExpressions;

namespace Netoops.EndToEnd.Tests.Kernel;

/// <summary>
/// Reads what the guest wrote on its serial console: kernel lines ("[    2.386161] text"),
/// the /init script's own "kit: " lines, and the pstore records the second boot of the pstore
/// scenario prints as base64 between "kit: pstore-begin NAME" and "kit: pstore-end NAME".
/// </summary>
public static partial class SerialLog
{
    public const string KitPrefix = "kit: ";
    private const string RecordBegin = KitPrefix + "pstore-begin ";
    private const string RecordEnd = KitPrefix + "pstore-end ";

    /// <summary>The console's lines without the tty's carriage returns.</summary>
    public static IReadOnlyList<string> Lines(string serial) =>
        serial.Split('\n').Select(line => line.TrimEnd('\r')).ToList();

    /// <summary>Every line the kernel printed, with its timestamp, in console order.</summary>
    public static IReadOnlyList<string> KernelLines(string serial) =>
        Lines(serial).Where(IsKernelLine).ToList();

    public static bool IsKernelLine(string line) => KernelLinePattern().IsMatch(line);

    /// <summary>The pstore records, by file name (dmesg-ramoops-0, ...).</summary>
    /// <exception cref="InvalidDataException">A record is cut short or carries foreign text.</exception>
    public static IReadOnlyDictionary<string, byte[]> PstoreRecords(string serial)
    {
        var records = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string? name = null;
        var base64 = new System.Text.StringBuilder();
        foreach (var line in Lines(serial))
        {
            if (line.StartsWith(RecordBegin, StringComparison.Ordinal))
            {
                if (name is not null)
                    throw new InvalidDataException($"pstore record {name} has no end marker before the next record");
                name = line[RecordBegin.Length..].Trim();
                base64.Clear();
            }
            else if (line.StartsWith(RecordEnd, StringComparison.Ordinal))
            {
                var ending = line[RecordEnd.Length..].Trim();
                if (name != ending)
                    throw new InvalidDataException($"pstore end marker for {ending} while reading {name ?? "no record"}");
                records[name] = Convert.FromBase64String(base64.ToString());
                name = null;
            }
            else if (name is not null && !IsKernelLine(line))
            {
                // Kernel lines may still interrupt the record (emergencies pass the lowered log level).
                if (!Base64LinePattern().IsMatch(line))
                    throw new InvalidDataException($"pstore record {name} holds a line that is not base64: '{line}'");
                base64.Append(line);
            }
        }
        if (name is not null)
            throw new InvalidDataException($"pstore record {name} has no end marker: the console was cut short");
        return records;
    }

    [GeneratedRegex(@"^\[\s*\d+\.\d{6}\] ")]
    private static partial Regex KernelLinePattern();

    [GeneratedRegex(@"^[A-Za-z0-9+/=]*$")]
    private static partial Regex Base64LinePattern();
}
