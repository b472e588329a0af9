namespace Netoops.Chaos.Tests.World;

/// <summary>
/// Every broken invariant seen during one schedule, in the order seen. Written from whichever
/// thread saw it (the target's, in multi-threaded runs), so it locks.
/// </summary>
public sealed class Violations
{
    private readonly List<string> _found = [];
    private readonly object _gate = new();

    public void Add(string invariant, string detail)
    {
        lock (_gate) _found.Add($"[{invariant}] {detail}");
    }

    public IReadOnlyList<string> All
    {
        get { lock (_gate) return _found.ToList(); }
    }

    public bool Any
    {
        get { lock (_gate) return _found.Count > 0; }
    }
}

/// <summary>The seven invariants of issue 4 and the three of issue 15, by the short names violations are printed with.</summary>
public static class Invariant
{
    public const string SendsOnlyWhileEnabled = "I1 sends only while Enabled, never on an unregistered device";
    public const string AttributesFrozen = "I2 attributes frozen unless Disabled/Deactivated";
    public const string OneReply = "I3 every request gets exactly one reply";
    public const string SocketClosedOnce = "I4 every socket closed exactly once, before Disabled/Deactivated/Dropped";
    public const string LegalLifecycle = "I5 lifecycle changes permitted and final state agrees with the model";
    public const string DumpCoverage = "I6 one report per dump covering exactly the targets Enabled at its start";
    public const string ExactResume = "I7 re-registration resumes exactly the targets it deactivated";
    public const string UniqueDumpId = "I8 a dump id never repeats within a boot, across agent restarts too";
    public const string SpoolUntilSent = "I9 a dump leaves the spool only after some target reported Sent for it";
    public const string NothingLost = "I10 a dump the desk took ends delivered, refused by policy, or in the spool";
}
