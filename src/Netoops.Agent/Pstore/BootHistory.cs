using System.Text.Json;
using System.Text.Json.Serialization;

namespace Netoops.Agent.Pstore;

/// <summary>
/// Remembers, in the state directory, which boot the agent last ran in, so that a pstore record
/// (written by the kernel of the previous boot) is sent with that boot's boot_id and release.
/// A restart within the same boot (same boot UUID) keeps the previous boot it already knew.
/// </summary>
public static class BootHistory
{
    private const string FileName = "boot.json";

    public sealed record BootInfo(string BootUuid, uint BootId, string KernelRelease);

    internal sealed record Stored(BootInfo Current, BootInfo? Previous);

    /// <summary>Records the current boot and returns the one before it, if any run of the agent saw it.</summary>
    public static BootInfo? Rotate(string stateDirectory, BootInfo current)
    {
        var path = Path.Combine(stateDirectory, FileName);
        Stored? stored = null;
        try { stored = File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), BootHistoryJson.Default.Stored) : null; }
        catch (JsonException) { /* an unreadable file is a forgotten history, not a fatal error */ }

        var previous = stored is null ? null
            : stored.Current.BootUuid == current.BootUuid ? stored.Previous
            : stored.Current;

        Directory.CreateDirectory(stateDirectory);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(new Stored(current, previous), BootHistoryJson.Default.Stored));
        File.Move(temp, path, overwrite: true);
        return previous;
    }
}

/// <summary>boot.json's serializer, generated at build time (no reflection: works trimmed and NativeAOT).</summary>
[JsonSerializable(typeof(BootHistory.Stored))]
internal sealed partial class BootHistoryJson : JsonSerializerContext;
