using System.Globalization;
using System.Text;

namespace Netoops.Actors.Subsystems;

/// <summary>
/// The netoops driver's sysfs knobs (netoops_boot_id, netoops_user_blob, netoops_record_oom):
/// stamped into every packet of a dump, or gating OOM dumps. Immutable; the subsystem owns the current value.
/// </summary>
public sealed record NetoopsSettings(uint BootId, ReadOnlyMemory<byte> UserBlob, bool RecordOom)
{
    public const int MaxUserBlobBytes = 128;
    public static readonly NetoopsSettings Default = new(0, ReadOnlyMemory<byte>.Empty, false);
    public static readonly IReadOnlyList<string> Names = ["boot_id", "user_blob", "record_oom"];

    public string? Format(string setting) => setting switch
    {
        "boot_id" => BootId.ToString(CultureInfo.InvariantCulture) + "\n",
        // The blob is bytes, shown as written (like the sysfs file); invalid UTF-8 shows as U+FFFD.
        "user_blob" => Encoding.UTF8.GetString(UserBlob.Span),
        "record_oom" => RecordOom ? "1\n" : "0\n",
        _ => null,
    };

    /// <summary>Applies a write, or explains why not. The user blob is kept byte for byte, newline included.</summary>
    public (NetoopsSettings? Updated, string? Error) Write(string setting, string text)
    {
        var value = text.EndsWith('\n') ? text[..^1] : text;
        switch (setting)
        {
            case "boot_id":
                return uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                    ? (this with { BootId = id }, null)
                    : (null, "boot_id expects an unsigned 32-bit number");
            case "user_blob":
                var bytes = Encoding.UTF8.GetBytes(text);
                return bytes.Length <= MaxUserBlobBytes
                    ? (this with { UserBlob = bytes }, null)
                    : (null, $"user_blob takes at most {MaxUserBlobBytes} bytes, got {bytes.Length}");
            case "record_oom":
                return value switch
                {
                    "1" or "y" or "Y" => (this with { RecordOom = true }, null),
                    "0" or "n" or "N" => (this with { RecordOom = false }, null),
                    _ => (null, "record_oom expects 0 or 1"),
                };
            default:
                return (null, $"no setting '{setting}'");
        }
    }
}
