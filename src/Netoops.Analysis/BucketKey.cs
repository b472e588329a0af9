namespace Netoops.Analysis;

/// <summary>
/// The key that groups reports of one bug. It starts from the normalised title, so every volatile
/// part (addresses, numbers, PIDs, offsets) is already gone, then folds the report kinds that one
/// bug shows up as: a use-after-free is a KASAN report on one run and a paging fault or a general
/// protection fault on another (<c>bad-access</c>); a CPU spinning in one place is a soft lockup or
/// an RCU stall (<c>stall</c>). The function keeps the key apart from other bugs (the title
/// already spells it the same on every architecture).
/// A damaged report names the frame <c>corrupted</c>, which no real function is called, so it only
/// ever groups with damaged reports of its own class, never with a named bug.
/// </summary>
public static class BucketKey
{
    private static readonly (string Prefix, string Class)[] Classes =
    [
        ("general protection fault in ", "bad-access"), ("BUG: unable to handle kernel paging request in ", "bad-access"),
        ("BUG: unable to handle kernel NULL pointer dereference in ", "bad-access"),
        ("BUG: unable to handle kernel access to user memory in ", "bad-access"), ("BUG: corrupted list in ", "bad-access"),
        ("Unhandled fault in ", "bad-access"),
        ("BUG: soft lockup in ", "stall"), ("INFO: rcu detected stall in ", "stall"),
        ("INFO: task hung in ", "hang"), ("INFO: task can't die in ", "hang"),
        ("BUG: stack guard page was hit in ", "stack-overflow"), ("kernel panic: corrupted stack end in ", "stack-overflow"),
        ("kernel stack overflow in ", "stack-overflow"),
        ("KASAN: invalid-free in ", "invalid-free"), ("KFENCE: invalid free in ", "invalid-free"),
    ];

    /// <summary>
    /// The key of a report. A damaged one (<c>… in corrupted</c>) whose faulting instruction survived
    /// is keyed by that function too: damaged reports of one kind share a bucket only when what is
    /// left of them agrees, instead of every damaged GPF of the fleet landing in one.
    /// </summary>
    public static string For(string title, string? survivingFault)
    {
        var key = For(title);
        return survivingFault == null ? key : $"{key} [at {survivingFault}]";
    }

    public static string For(string title)
    {
        foreach (var (prefix, bugClass) in Classes)
            if (title.StartsWith(prefix, StringComparison.Ordinal))
                return bugClass + " in " + title[prefix.Length..];
        if (IsKasanAccess(title, out int frameAt))
            return "bad-access in " + title[frameAt..];
        return title;
    }

    // "KASAN: use-after-free Read in f", "KASAN: slab-out-of-bounds Write in f", "KASAN: null-ptr-deref Read in f".
    private static bool IsKasanAccess(string title, out int frameAt)
    {
        frameAt = 0;
        if (!title.StartsWith("KASAN: ", StringComparison.Ordinal))
            return false;
        foreach (var access in (string[])[" Read in ", " Write in "])
        {
            int at = title.IndexOf(access, StringComparison.Ordinal);
            if (at > 7 && !title.AsSpan(7, at - 7).Contains(' '))
            {
                frameAt = at + access.Length;
                return true;
            }
        }
        return false;
    }
}
