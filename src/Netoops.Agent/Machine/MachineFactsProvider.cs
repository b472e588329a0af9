namespace Netoops.Agent.Machine;

/// <summary>The facts of this boot, read once at start (they do not change while the kernel runs).</summary>
public sealed class MachineFactsProvider(MachineFacts current)
{
    public MachineFacts Current { get; } = current;
}
