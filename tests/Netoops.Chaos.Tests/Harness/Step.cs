namespace Netoops.Chaos.Tests.Harness;

/// <summary>Everything a chaos schedule can do, one step at a time.</summary>
public enum StepKind
{
    Make, Drop, Enable, Disable, WriteParameter, WriteUserdata,
    Unregister, Register, Rename, Enslave, Release, LinkDown, LinkUp,
    FanOut, Dump, AdvanceClock,
    SetupFaults, CloseFaults, SendFaults, ReleaseSetup, ReleaseClose,
    // The agent's dump path (issue 15): a crash through the dump desk, a pstore record, a kill -9 and restart.
    Crash, Pstore, Restart,
}

/// <summary>
/// One step of a schedule. <paramref name="Arg"/> is the device slot, fault mode, pick or amount,
/// as the kind needs; <paramref name="Text"/> the attribute and value of a write.
/// </summary>
public sealed record Step(StepKind Kind, string Target = "", int Arg = 0, string Attribute = "", string Text = "")
{
    /// <summary>Steps that need the agent (dump desk, spool, state directory) in the run.</summary>
    public bool NeedsAgent => Kind is StepKind.Crash or StepKind.Pstore or StepKind.Restart;

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
        StepKind.Crash => $"Crash {(Netoops.Agent.Spool.DumpCause)Arg}",
        StepKind.Pstore => $"Pstore record of {(Arg == 0 ? "this" : "the previous")} boot",
        StepKind.Restart => "Restart the agent",
        _ => $"{Kind} dev{Arg}",
    };
}
