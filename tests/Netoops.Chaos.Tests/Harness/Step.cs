namespace Netoops.Chaos.Tests.Harness;

/// <summary>Everything a chaos schedule can do, one step at a time.</summary>
public enum StepKind
{
    Make, Drop, Enable, Disable, WriteParameter, WriteUserdata,
    Unregister, Register, Rename, Enslave, Release, LinkDown, LinkUp,
    FanOut, Dump, AdvanceClock,
    SetupFaults, CloseFaults, SendFaults, ReleaseSetup, ReleaseClose,
}

/// <summary>
/// One step of a schedule. <paramref name="Arg"/> is the device slot, fault mode, pick or amount,
/// as the kind needs; <paramref name="Text"/> the attribute and value of a write.
/// </summary>
public sealed record Step(StepKind Kind, string Target = "", int Arg = 0, string Attribute = "", string Text = "")
{
    public override string ToString() => Kind switch
    {
        StepKind.Make or StepKind.Drop or StepKind.Enable or StepKind.Disable => $"{Kind} {Target}",
        StepKind.WriteParameter or StepKind.WriteUserdata => $"{Kind} {Target} {Attribute}={Text.TrimEnd('\n')}",
        StepKind.FanOut => $"FanOut {Arg} packets{(Text == "spaced" ? " spaced 1ms" : "")}",
        StepKind.Dump => $"Dump {Text} of {Arg} KiB",
        StepKind.AdvanceClock => $"AdvanceClock {Arg}ms",
        StepKind.SetupFaults => $"SetupFaults {(World.SetupMode)Arg}",
        StepKind.CloseFaults => $"CloseFaults {(World.CloseMode)Arg}",
        StepKind.SendFaults => $"SendFaults {(World.SendMode)Arg}",
        StepKind.ReleaseSetup or StepKind.ReleaseClose => $"{Kind} #{Arg}",
        StepKind.Rename => $"Rename dev{Arg} to {Text}",
        _ => $"{Kind} dev{Arg}",
    };
}
