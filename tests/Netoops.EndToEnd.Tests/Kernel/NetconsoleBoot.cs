namespace Netoops.EndToEnd.Tests.Kernel;

/// <summary>Where the guest's two netconsole targets send: host loopback ports.</summary>
public sealed record NetconsoleTargets(int BasicPort, int ExtendedPort)
{
    /// <summary>Guest-side source ports: any free ones would do, distinct so the targets differ.</summary>
    private const int BasicSourcePort = 6665;
    private const int ExtendedSourcePort = 6666;

    /// <summary>
    /// The netconsole module parameter: one basic and one extended ('+') target. User-mode
    /// networking makes the guest 10.0.2.15 and the host's 127.0.0.1 reachable as 10.0.2.2.
    /// </summary>
    public string ModuleParameter =>
        $"{BasicSourcePort}@10.0.2.15/eth0,{BasicPort}@10.0.2.2/;+{ExtendedSourcePort}@10.0.2.15/eth0,{ExtendedPort}@10.0.2.2/";
}

/// <summary>
/// Boots the guest with netconsole loaded as a module with two targets (a module parameter, so the
/// whole log so far is replayed when it loads) and provokes the given actions in turn. The guest
/// powers off after the last action, unless that was a panic (panic=1 + -no-reboot end qemu).
/// </summary>
public static class NetconsoleBoot
{
    /// <param name="name">Names this boot's artefacts in the scenario folder.</param>
    public static Task<GuestRun> RunAsync(GuestKit kit, ScenarioLog log, string name, NetconsoleTargets targets, params string[] actions)
    {
        log.Step($"{name}: netconsole targets basic → 127.0.0.1:{targets.BasicPort}, extended → 127.0.0.1:{targets.ExtendedPort}");
        var boot = new GuestBoot("netconsole",
            [$"kit.netconsole={targets.ModuleParameter}", $"kit.actions={string.Join(',', actions)}"],
            RebootAllowed: false, MaxBoots: 1, TimeLimit: TimeSpan.FromMinutes(5), Name: name);
        return QemuGuest.RunAsync(kit, boot, log);
    }

    /// <summary>
    /// The serial console's kernel lines up to /init's "power off" line: after it the machine shuts
    /// its network device down, and netconsole cannot send what the shutdown prints.
    /// </summary>
    public static IReadOnlyList<string> KernelLinesUntilPowerOff(GuestRun run)
    {
        var lines = SerialLog.KernelLines(run.Serial).ToList();
        var powerOff = lines.FindIndex(line => ConsoleText.WithoutTimestamp(line) == "initlog: power off");
        return powerOff < 0 ? lines : lines.Take(powerOff + 1).ToList();
    }
}
