using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Netoops.Protocol.Pstore;

namespace Netoops.Agent.Pstore;

/// <summary>What becomes of a record's files once it is safely handed on.</summary>
public enum PstoreDisposal { Archive, Unlink, Keep }

/// <summary>
/// Collects the crash records that the previous boot left in pstore (REFERENCE §5): files
/// <c>dmesg-&lt;backend&gt;-&lt;id&gt;</c>, each one part of a record whose first line is
/// <c>&lt;Reason&gt;#&lt;count&gt; Part&lt;n&gt;</c>, Part1 holding the newest text. Both the
/// kernel's folder and systemd-pstore's are read, since systemd may have moved them first.
/// </summary>
public sealed partial class PstoreHarvester
{
    private const string SeenFile = "pstore-seen";
    private const int SeenKept = 1024;

    private readonly IReadOnlyList<string> _folders;
    private readonly string _stateDirectory;
    private readonly PstoreDisposal _disposal;
    private readonly ILogger _log;

    public PstoreHarvester(IReadOnlyList<string> folders, string stateDirectory, PstoreDisposal disposal, ILogger? log = null)
    {
        _folders = folders;
        _stateDirectory = stateDirectory;
        _disposal = disposal;
        _log = log ?? NullLogger.Instance;
    }

    /// <summary>Files that looked like dmesg records but had no valid header or could not be read.</summary>
    public int Refused { get; private set; }

    /// <summary>The records not yet handed on, oldest crash first.</summary>
    public IReadOnlyList<PstoreRecord> Harvest()
    {
        var seen = LoadSeen();
        var parts = new List<Part>();
        foreach (var folder in _folders.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "dmesg-*", SearchOption.AllDirectories))
            {
                // .enc.z: the backend could not decompress it at boot; its bytes are not text.
                if (file.EndsWith(PstoreFileName.CompressedSuffix, StringComparison.Ordinal)) { Refused++; continue; }
                var part = ReadPart(file);
                if (part is null) { Refused++; continue; }
                parts.Add(part);
            }
        }

        return parts
            .GroupBy(p => (Path.GetDirectoryName(p.File), p.Backend, p.Reason, p.Count))
            .Select(Join)
            .Where(r => !seen.Contains(r.Key))
            .OrderBy(r => r.Count)
            .ToList();
    }

    /// <summary>
    /// Records that the record was handed on (durably: sent or spooled), then archives or unlinks
    /// its files. Remembering comes first, so a crash in between can never send it twice.
    /// </summary>
    public void Complete(PstoreRecord record)
    {
        var seenPath = Path.Combine(_stateDirectory, SeenFile);
        var kept = LoadSeen().TakeLast(SeenKept - 1).Append(record.Key);
        Directory.CreateDirectory(_stateDirectory);
        var temp = seenPath + ".tmp";
        File.WriteAllLines(temp, kept);
        File.Move(temp, seenPath, overwrite: true);

        foreach (var file in record.Files)
        {
            try
            {
                switch (_disposal)
                {
                    case PstoreDisposal.Unlink:
                        File.Delete(file);
                        break;
                    case PstoreDisposal.Archive:
                        var archive = Path.Combine(_stateDirectory, "pstore-archive");
                        Directory.CreateDirectory(archive);
                        File.Copy(file, Path.Combine(archive, $"{record.Key[..12]}-{Path.GetFileName(file)}"), overwrite: true);
                        File.Delete(file);
                        break;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Still never resent: the key is remembered. Only the tidy-up failed.
                _log.LogWarning("pstore: could not {Disposal} {File}: {Error}", _disposal, file, e.Message);
            }
        }
    }

    private HashSet<string> LoadSeen()
    {
        var path = Path.Combine(_stateDirectory, SeenFile);
        return File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0).ToHashSet() : [];
    }

    private sealed record Part(string File, string Backend, string Reason, int Count, int Number, string Body);

    private Part? ReadPart(string file)
    {
        string text;
        try { text = File.ReadAllText(file); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogWarning("pstore: cannot read {File}: {Error}", file, e.Message);
            return null;
        }

        if (!PstoreRecordHeader.TryParse(text, out var header, out var log))
        {
            _log.LogWarning("pstore: {File} has no '<Reason>#<count> Part<n>' header, skipped", file);
            return null;
        }

        var backend = PstoreFileName.TryParse(Path.GetFileName(file), out var name) ? name.Backend : "";
        return new Part(file, backend, header.Reason, header.Count, header.Part, StripSyslogLevels(log));
    }

    private static PstoreRecord Join(IEnumerable<Part> group)
    {
        // Part1 is the newest text: reading order is from the highest part number down.
        var parts = group.OrderByDescending(p => p.Number).ToList();
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            text.Append(part.Body);
            if (part.Body.Length > 0 && part.Body[^1] != '\n') text.Append('\n');
        }
        var joined = text.ToString();
        var first = parts[0];
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{first.Reason}#{first.Count}\n{joined}")));
        return new PstoreRecord(first.Reason, first.Count, joined, KernelReleaseIn(joined), key,
            parts.Select(p => p.File).ToList());
    }

    /// <summary>The release the crashed kernel printed about itself, if its text says.</summary>
    public static string? KernelReleaseIn(string text)
    {
        var match = ReleaseInBanner().Match(text);
        if (!match.Success) match = ReleaseInCpuLine().Match(text);
        return match.Success ? match.Groups[1].Value : null;
    }

    // "<6>[    0.000000] text" → "[    0.000000] text": the level is pstore's, dmesg shows none.
    private static string StripSyslogLevels(string body) => SyslogLevel().Replace(body, "");

    [GeneratedRegex(@"^<\d{1,3}>", RegexOptions.Multiline)]
    private static partial Regex SyslogLevel();

    [GeneratedRegex(@"Linux version (\d\S*)")]
    private static partial Regex ReleaseInBanner();

    [GeneratedRegex(@"(?:Not tainted|Tainted: [A-Z ]+?)\s+(\d\S*)\s+#")]
    private static partial Regex ReleaseInCpuLine();
}
