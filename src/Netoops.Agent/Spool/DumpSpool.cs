using System.Text.Json;
using Netoops.Agent.Native;

namespace Netoops.Agent.Spool;

/// <summary>One spooled dump on disk, oldest first by <see cref="Sequence"/>.</summary>
public sealed record SpoolEntry(long Sequence, string Path, long Bytes);

/// <summary>
/// Dumps that no target took, kept in the state directory until a netoops target is enabled.
/// Each dump is one file written to a temporary name, fsync'ed, renamed into place and the
/// directory fsync'ed: after a kill -9 or a power cut a dump is either whole or absent.
/// Bounded by count and bytes; when full the oldest dumps are dropped (and counted), because the
/// newest crash is the one most likely still unexplained.
/// A crash log can hold anything the kernel printed, so the directory is 0700 and every file 0600,
/// set here explicitly: neither the umask nor a systemd unit's StateDirectoryMode is relied upon.
/// Its owner (the dump desk) runs the writes on the thread pool, off its mailbox, so each operation
/// takes one lock: two writes never interleave and <see cref="Entries"/> is a consistent copy.
/// </summary>
public sealed class DumpSpool
{
    private const string Extension = ".dump";
    private const string TempExtension = ".tmp";
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _directory;
    private readonly int _maxDumps;
    private readonly long _maxBytes;
    private readonly List<SpoolEntry> _entries;
    private readonly Lock _gate = new();
    private long _nextSequence;

    public DumpSpool(string directory, int maxDumps = 64, long maxBytes = 16 * 1024 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDumps, 1);
        _directory = directory;
        _maxDumps = maxDumps;
        _maxBytes = maxBytes;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
        else
        {
            Directory.CreateDirectory(directory, DirectoryMode);
            File.SetUnixFileMode(directory, DirectoryMode); // it may exist already, made by someone else
        }

        // A temporary file is a write that a crash interrupted: it was never acknowledged.
        foreach (var tmp in Directory.EnumerateFiles(directory, "*" + TempExtension))
            File.Delete(tmp);

        _entries = Directory.EnumerateFiles(directory, "*" + Extension)
            .Select(path => (path, seq: long.TryParse(System.IO.Path.GetFileNameWithoutExtension(path), out var s) ? s : -1))
            .Where(e => e.seq >= 0)
            .Select(e => new SpoolEntry(e.seq, e.path, new FileInfo(e.path).Length))
            .OrderBy(e => e.Sequence)
            .ToList();
        // Files of an earlier version may have been made with the umask's mode.
        if (!OperatingSystem.IsWindows())
            foreach (var entry in _entries) File.SetUnixFileMode(entry.Path, FileMode0600);
        _nextSequence = _entries.Count == 0 ? 1 : _entries[^1].Sequence + 1;
    }

    /// <summary>A copy, oldest first.</summary>
    public IReadOnlyList<SpoolEntry> Entries { get { lock (_gate) return _entries.ToArray(); } }
    public long Dropped { get; private set; }
    public long Unreadable { get; private set; }

    /// <summary>Stores a dump durably; returns its entry. May drop the oldest dumps to stay in bounds.</summary>
    public SpoolEntry Add(PendingDump dump)
    {
        lock (_gate) return AddLocked(dump);
    }

    private SpoolEntry AddLocked(PendingDump dump)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(dump);
        var sequence = _nextSequence++;
        var path = System.IO.Path.Combine(_directory, $"{sequence:D12}{Extension}");
        WriteDurably(path, bytes);

        var entry = new SpoolEntry(sequence, path, bytes.Length);
        _entries.Add(entry);
        while (_entries.Count > _maxDumps || (_entries.Count > 1 && _entries.Sum(e => e.Bytes) > _maxBytes))
        {
            RemoveLocked(_entries[0]);
            Dropped++;
        }
        return entry;
    }

    /// <summary>
    /// Replaces a spooled dump's file with <paramref name="dump"/> (the same dump with its dump_id
    /// recorded), atomically: after a crash the file holds the old or the new version, whole.
    /// Returns the entry to use from now on; null when the entry was dropped meanwhile.
    /// </summary>
    public SpoolEntry? Rewrite(SpoolEntry entry, PendingDump dump)
    {
        lock (_gate) return RewriteLocked(entry, dump);
    }

    private SpoolEntry? RewriteLocked(SpoolEntry entry, PendingDump dump)
    {
        var index = _entries.IndexOf(entry);
        if (index < 0) return null;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(dump);
        WriteDurably(entry.Path, bytes);
        return _entries[index] = entry with { Bytes = bytes.Length };
    }

    /// <summary>Temporary name, fsync, rename over the final name, fsync the directory.</summary>
    private void WriteDurably(string path, byte[] bytes)
    {
        var temp = path + TempExtension;
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode0600;
        using (var stream = new FileStream(temp, options))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        SyncDirectory();
    }

    /// <summary>Reads a spooled dump; a file that cannot be read is set aside (renamed .bad) and counted.</summary>
    public PendingDump? Load(SpoolEntry entry)
    {
        lock (_gate) return LoadLocked(entry);
    }

    private PendingDump? LoadLocked(SpoolEntry entry)
    {
        try
        {
            return JsonSerializer.Deserialize<PendingDump>(File.ReadAllBytes(entry.Path));
        }
        catch (JsonException)
        {
            Unreadable++;
            File.Move(entry.Path, entry.Path + ".bad", overwrite: true);
            _entries.Remove(entry);
            return null;
        }
    }

    /// <summary>Forgets a dump once a target took it.</summary>
    public void Remove(SpoolEntry entry)
    {
        lock (_gate) RemoveLocked(entry);
    }

    private void RemoveLocked(SpoolEntry entry)
    {
        File.Delete(entry.Path);
        _entries.Remove(entry);
    }

    private void SyncDirectory()
    {
        var fd = LibC.Open(_directory, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
        if (fd < 0) return;
        LibC.Fsync(fd);
        LibC.Close(fd);
    }
}
