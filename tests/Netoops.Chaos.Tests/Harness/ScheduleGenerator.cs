using Netoops.Chaos.Tests.World;

namespace Netoops.Chaos.Tests.Harness;

/// <summary>
/// Draws a schedule from a seed. Same seed, same schedule (System.Random with a seed is stable for
/// a given runtime). Weights favour the steps that open race windows: held setups and closes,
/// link events on the devices targets use, and dumps while targets change state.
/// </summary>
public static class ScheduleGenerator
{
    public static readonly string[] Targets = ["a", "b", "c"];

    private static readonly (StepKind Kind, int Weight)[] Weights =
    [
        (StepKind.Make, 10), (StepKind.Drop, 5), (StepKind.Enable, 12), (StepKind.Disable, 6),
        (StepKind.WriteParameter, 8), (StepKind.WriteUserdata, 2),
        (StepKind.Unregister, 6), (StepKind.Register, 6), (StepKind.Rename, 3), (StepKind.Enslave, 2),
        (StepKind.Release, 2), (StepKind.LinkDown, 2), (StepKind.LinkUp, 2),
        (StepKind.FanOut, 4), (StepKind.Dump, 5), (StepKind.AdvanceClock, 3),
        (StepKind.SetupFaults, 6), (StepKind.CloseFaults, 5), (StepKind.SendFaults, 2),
        (StepKind.ReleaseSetup, 6), (StepKind.ReleaseClose, 5),
    ];

    /// <summary>Held (slow) setups open the widest race windows, so they come up twice as often.</summary>
    private static readonly SetupMode[] SetupModes = [SetupMode.Instant, SetupMode.Held, SetupMode.Held, SetupMode.Fails, SetupMode.Throws];

    private static readonly int TotalWeight = Weights.Sum(w => w.Weight);

    public static IReadOnlyList<Step> Generate(int seed, int minLength = 6, int maxLength = 24)
    {
        var random = new Random(seed);
        var length = random.Next(minLength, maxLength + 1);
        var steps = new List<Step>(length + 6);
        // A prelude of live targets, so that the random part acts on something rather than on nothing.
        var live = 1 + random.Next(Targets.Length);
        foreach (var target in Targets.Take(live))
        {
            steps.Add(new Step(StepKind.Make, target));
            if (random.Next(10) < 7) steps.Add(new Step(StepKind.Enable, target));
        }
        var prelude = steps.Count;
        for (var i = 0; i < length; i++)
            steps.Add(Draw(random, live));
        AddAgentSteps(seed, steps, prelude, live);
        return steps;
    }

    /// <summary>
    /// A third of the schedules also drive the agent's dump path: crashes through the dump desk
    /// (some followed at once by a drop: a target dropped mid-send), pstore records without an id,
    /// agent restarts, and enables that start a replay. They come from a second generator and are
    /// inserted among the other steps, so those steps, and every other schedule, stay as they were.
    /// </summary>
    private static void AddAgentSteps(int seed, List<Step> steps, int prelude, int live)
    {
        var random = new Random(unchecked(seed * 7919 + 104_729));
        if (random.Next(3) != 0) return;
        var count = 3 + random.Next(6);
        for (var i = 0; i < count; i++)
        {
            var target = Targets[random.Next(live)];
            List<Step> inserted = random.Next(10) switch
            {
                < 4 when random.Next(2) == 0 => [new Step(StepKind.Crash, Arg: random.Next(3)), new Step(StepKind.Drop, target)],
                < 4 => [new Step(StepKind.Crash, Arg: random.Next(3))],
                < 7 => [new Step(StepKind.Pstore, Arg: random.Next(2))],
                < 9 => [new Step(StepKind.Restart)],
                _ => [new Step(StepKind.Make, target), new Step(StepKind.Enable, target)],
            };
            steps.InsertRange(prelude + random.Next(steps.Count - prelude + 1), inserted);
        }
    }

    private static Step Draw(Random random, int live)
    {
        var roll = random.Next(TotalWeight);
        var kind = Weights[0].Kind;
        foreach (var (k, w) in Weights)
        {
            if (roll < w) { kind = k; break; }
            roll -= w;
        }
        // Mostly the live targets, now and then one that does not exist (yet); mostly eth0, the default device.
        var target = Targets[random.Next(10) < 8 ? random.Next(live) : random.Next(Targets.Length)];
        var slot = random.Next(10) < 7 ? 0 : 1;
        return kind switch
        {
            StepKind.Make or StepKind.Drop or StepKind.Enable or StepKind.Disable => new Step(kind, target),
            StepKind.WriteParameter => Parameter(random, target),
            StepKind.WriteUserdata => new Step(kind, target, Attribute: "userdata/k/value", Text: $"v{random.Next(10)}\n"),
            StepKind.Rename => new Step(kind, Arg: slot, Text: DeviceWorld.Names[random.Next(DeviceWorld.Names.Length)]),
            StepKind.FanOut => new Step(kind, Arg: 1 + random.Next(5), Text: random.Next(3) == 0 ? "spaced" : ""),
            StepKind.Dump => new Step(kind, Arg: 1 + random.Next(3), Text: random.Next(4) == 0 ? "Soft" : "Oops"),
            StepKind.AdvanceClock => new Step(kind, Arg: 1 + random.Next(4)),
            StepKind.SetupFaults => new Step(kind, Arg: (int)SetupModes[random.Next(SetupModes.Length)]),
            StepKind.CloseFaults => new Step(kind, Arg: random.Next(3) == 0 ? 0 : 1),
            StepKind.SendFaults => new Step(kind, Arg: random.Next(4)),
            StepKind.ReleaseSetup or StepKind.ReleaseClose => new Step(kind, Arg: random.Next(4)),
            _ => new Step(kind, Arg: slot),
        };
    }

    /// <summary>Writes that either point the target at the other device or change what its socket would use.</summary>
    private static Step Parameter(Random random, string target) => random.Next(5) switch
    {
        0 => new Step(StepKind.WriteParameter, target, Attribute: "dev_name", Text: "eth1\n"),
        1 => new Step(StepKind.WriteParameter, target, Attribute: "dev_name",
            Text: Netoops.Actors.Targets.TargetAttributeText.FormatMac(DeviceWorld.MacOf(random.Next(2))).TrimEnd('\n')),
        2 => new Step(StepKind.WriteParameter, target, Attribute: "remote_port", Text: $"{6000 + random.Next(100)}\n"),
        3 => new Step(StepKind.WriteParameter, target, Attribute: "remote_ip", Text: $"192.0.2.{1 + random.Next(200)}"),
        _ => new Step(StepKind.WriteParameter, target, Attribute: "dev_name", Text: "eth0"),
    };
}
