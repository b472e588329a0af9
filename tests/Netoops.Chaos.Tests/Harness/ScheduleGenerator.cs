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
        (StepKind.Dump, 7), (StepKind.AdvanceClock, 3),
        (StepKind.SetupFaults, 6), (StepKind.CloseFaults, 4), (StepKind.SendFaults, 2),
        (StepKind.ReleaseSetup, 6), (StepKind.ReleaseClose, 5),
    ];

    private static readonly int TotalWeight = Weights.Sum(w => w.Weight);

    public static IReadOnlyList<Step> Generate(int seed, int minLength = 6, int maxLength = 24)
    {
        var random = new Random(seed);
        var length = random.Next(minLength, maxLength + 1);
        var steps = new List<Step>(length);
        for (var i = 0; i < length; i++)
            steps.Add(Draw(random));
        return steps;
    }

    private static Step Draw(Random random)
    {
        var roll = random.Next(TotalWeight);
        var kind = Weights[0].Kind;
        foreach (var (k, w) in Weights)
        {
            if (roll < w) { kind = k; break; }
            roll -= w;
        }
        var target = Targets[random.Next(Targets.Length)];
        var slot = random.Next(2);
        return kind switch
        {
            StepKind.Make or StepKind.Drop or StepKind.Enable or StepKind.Disable => new Step(kind, target),
            StepKind.WriteParameter => Parameter(random, target),
            StepKind.WriteUserdata => new Step(kind, target, Attribute: "userdata/k/value", Text: $"v{random.Next(10)}\n"),
            StepKind.Rename => new Step(kind, Arg: slot, Text: DeviceWorld.Names[random.Next(DeviceWorld.Names.Length)]),
            StepKind.Dump => new Step(kind, Arg: 1 + random.Next(5), Text: random.Next(3) == 0 ? "spaced" : ""),
            StepKind.AdvanceClock => new Step(kind, Arg: 1 + random.Next(4)),
            StepKind.SetupFaults => new Step(kind, Arg: random.Next(4)),
            StepKind.CloseFaults => new Step(kind, Arg: random.Next(2)),
            StepKind.SendFaults => new Step(kind, Arg: random.Next(3)),
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
