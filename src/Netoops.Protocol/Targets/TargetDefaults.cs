namespace Netoops.Protocol.Targets;

/// <summary>What a subsystem fills in for the parts of a target left out.</summary>
/// <param name="HasExtendedFormat">
/// Netconsole reads the <c>+</c> (extended) and <c>r</c> (release) prefixes; netoops sends its own
/// packets and its parameter has no prefixes.
/// </param>
public sealed record TargetDefaults(string Subsystem, ushort LocalPort, ushort RemotePort, bool HasExtendedFormat = true)
{
    /// <summary>The device a target uses when none is named.</summary>
    public const string DefaultDevName = "eth0";

    public static TargetDefaults Netconsole { get; } = new("netconsole", 6665, 6666);

    public static TargetDefaults Netoops { get; } = new("netoops", 2004, 2004, HasExtendedFormat: false);
}
