using Netoops.Actors.Dumps;
using Netoops.Actors.Ports;
using Netoops.Actors.Targets;
using Netoops.Chaos.Tests.World;

namespace Netoops.Chaos.Tests.Mutants;

/// <summary>
/// A variant of the actors with one historical bug put back, injected through the lifecycle seam
/// (<see cref="TargetOptions.Lifecycle"/>), the dump-id seam (<see cref="DumpCoordinatorOptions.IdSource"/>),
/// by replacing the netdev notifier, or by what the dump desk hears from the coordinator. Never
/// compiled into production: it lives only in this test project.
/// </summary>
/// <param name="NotifierCleansUp">True: the notifier closes targets' sockets itself on unregister (before patch 4).</param>
/// <param name="DumpIds">The coordinator's id source over its store; null is the real allocator.</param>
/// <param name="DeskHears">What the dump desk hears from the coordinator (<see cref="DeskHears.Truth"/> but for the desk's mutants).</param>
public sealed record Mutant(string Name, string Race, Func<string, ITargetLifecycle> Lifecycle, bool NotifierCleansUp = false,
    Func<IDumpIdStore, IDumpIdSource>? DumpIds = null, DeskHears DeskHears = DeskHears.Truth)
{
    /// <summary>The production code, unchanged.</summary>
    public static readonly Mutant None = new("real code", "", name => new TargetLifecycle(name));

    public static readonly IReadOnlyList<Mutant> Historical =
    [
        new("writes-while-enabled", "patch 2: attribute stores raced with enabling and sending",
            name => new BreachingLifecycle(name, (state, trigger) =>
                trigger == TargetTrigger.WriteAttribute && state is TargetState.Enabled or TargetState.SettingUp
                    ? Breach.KeepState
                    : null)),

        // Before patch 3 a target was enabled or not: disabling during setup started a teardown of a
        // half-built netpoll, and enabling during a teardown started a second setup.
        new("boolean-enabled-flag", "patch 3: a boolean enabled could not say 'being set up' or 'being torn down'",
            name => new BreachingLifecycle(name, (state, trigger) => (state, trigger) switch
            {
                (TargetState.SettingUp, TargetTrigger.Disable) => Breach.Via(TargetState.Enabled, TargetTrigger.Disable),
                (TargetState.Cleaning, TargetTrigger.Enable) => Breach.Via(TargetState.Disabled, TargetTrigger.Enable),
                _ => null,
            })),

        new("notifier-cleanup", "patch 4: the netdev notifier cleaned targets up itself",
            name => new TargetLifecycle(name), NotifierCleansUp: true),

        new("drop-keeps-pending-cleanup", "v3 changelog: rmdir did not cancel the pending cleanup work",
            name => new BreachingLifecycle(name, (state, trigger) =>
                state == TargetState.Cleaning && trigger == TargetTrigger.Drop
                    ? Breach.Via(TargetState.Disabled, TargetTrigger.Drop)
                    : null)),

        new("setup-ignores-unregister", "beyond the kernel: an unregister seen during setup was forgotten",
            name => new BreachingLifecycle(name, (state, trigger) =>
                state == TargetState.SettingUp && trigger == TargetTrigger.DeviceUnregistered
                    ? Breach.KeepState
                    : null)),

        new("replay-id-not-previous", "issue 15: a replay's dump id was anything but the previous one (2363, 2364, 2363, ...)",
            name => new TargetLifecycle(name), DumpIds: _ => new NotThePreviousId()),

        // Not historical: the allocator without its state file. Within one run it is the real one;
        // a restarted agent starts its boot again from the uptime rule, under ids already used.
        new("dump-ids-forgotten-on-restart", "issue 15: dump ids not remembered in the state dir, reused by a restarted agent",
            name => new TargetLifecycle(name), DumpIds: _ => new DumpIdAllocator(new InMemoryDumpIdStore())),

        // The desk removing a spool file on a report it only expects (an ask answered early, a
        // summary mistaken for a send) loses the dump when the send then fails.
        new("spool-removed-before-sent", "issue 15: a spool file went before any target reported Sent for its dump",
            name => new TargetLifecycle(name), DeskHears: DeskHears.ReplaySentEarly),

        // Before issue 15 "the netoops subsystem did not answer" counted as a policy refusal and was
        // never spooled; here any live dump no target took is taken for one.
        new("undelivered-not-spooled", "issue 15: a live dump no target took was taken for a policy refusal and not spooled",
            name => new TargetLifecycle(name), DeskHears: DeskHears.UndeliveredAsRefused),
    ];

    public override string ToString() => Name;
}
