namespace Netoops.Agent.Pstore;

/// <summary>
/// One crash record of the previous boot, its parts joined in reading order (oldest text first).
/// <paramref name="Key"/> identifies the content, so a record is never sent twice even if its
/// files could not be removed. <paramref name="KernelRelease"/> is null when the text names none.
/// </summary>
public sealed record PstoreRecord(
    string Reason,
    int Count,
    string Text,
    string? KernelRelease,
    string Key,
    IReadOnlyList<string> Files);
