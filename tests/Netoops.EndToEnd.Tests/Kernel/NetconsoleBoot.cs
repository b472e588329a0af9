namespace Netoops.EndToEnd.Tests.Kernel;

/// <summary>What one netconsole boot produced: the serial console and both targets' datagrams.</summary>
/// <param name="SerialKernelLines">
/// The kernel lines of the serial console up to /init's "power off" line: what follows is the
/// machine shutting down its network device, which netconsole cannot send through.
/// </param>
public sealed record NetconsoleCapture(
    GuestRun Run,
    IReadOnlyList<string> SerialKernelLines,
    IReadOnlyList<string> BasicLines,
    IReadOnlyList<ExtendedMessage> ExtendedMessages,
    IReadOnlyList<RefusedDatagram> RefusedExtended);

/// <summary>
/// Boots the guest with one basic and one extended netconsole target (module parameter, so the
/// whole log is replayed when netconsole loads) pointed at two UDP receivers on the host, and
/// provokes the given actions in turn.
/// </summary>
public static class NetconsoleBoot
{
    /// <summary>Guest-side source ports: any free ones would do, distinct so the targets differ.</summary>
    private const int BasicSourcePort = 6665;
    private const int ExtendedSourcePort = 6666;

    public static async Task<NetconsoleCapture> RunAsync(GuestKit kit, ScenarioLog log, params string[] actions)
    {
        using var basic = new UdpCapture("basic");
        using var extended = new UdpCapture("extended");
        // User-mode networking: the guest is 10.0.2.15 and reaches the host's loopback as 10.0.2.2.
        var targets = $"{BasicSourcePort}@10.0.2.15/eth0,{basic.Port}@10.0.2.2/;"
                      + $"+{ExtendedSourcePort}@10.0.2.15/eth0,{extended.Port}@10.0.2.2/";
        log.Step($"netconsole targets: basic → 127.0.0.1:{basic.Port}, extended → 127.0.0.1:{extended.Port}");

        var boot = new GuestBoot("netconsole",
            [$"kit.netconsole={targets}", $"kit.actions={string.Join(',', actions)}"],
            RebootAllowed: false, MaxBoots: 1, TimeLimit: TimeSpan.FromMinutes(5));
        var run = await QemuGuest.RunAsync(kit, boot, log);

        await basic.WaitUntilQuietAsync(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10));
        await extended.WaitUntilQuietAsync(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10));
        basic.Save(log);
        extended.Save(log);

        var (messages, refused) = ExtendedNetconsole.Read(extended.Texts);
        var capture = new NetconsoleCapture(
            run,
            LinesUntilPowerOff(SerialLog.KernelLines(run.Serial)),
            basic.Stream.Split('\n').Select(line => line.TrimEnd('\r')).ToList(),
            messages,
            refused);
        log.Step($"serial: {capture.SerialKernelLines.Count} kernel lines; basic: {capture.BasicLines.Count} lines; "
                 + $"extended: {messages.Count} messages, {refused.Count} refused");
        return capture;
    }

    private static List<string> LinesUntilPowerOff(IReadOnlyList<string> lines)
    {
        var powerOff = lines.ToList().FindIndex(line => ConsoleText.WithoutTimestamp(line) == "initlog: power off");
        return powerOff < 0 ? lines.ToList() : lines.Take(powerOff + 1).ToList();
    }
}
