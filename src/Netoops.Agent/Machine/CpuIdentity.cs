namespace Netoops.Agent.Machine;

/// <summary>The x86 CPU fields of a netoops v3 packet (REFERENCE §1, offset 216).</summary>
public sealed record CpuIdentity(byte Vendor, byte Family, byte Model, byte Stepping)
{
    public const byte UnknownVendor = 0xff;
    public static readonly CpuIdentity Unknown = new(UnknownVendor, 0, 0, 0);

    /// <summary>The kernel's X86_VENDOR_* numbers, keyed by the CPUID vendor string.</summary>
    private static readonly Dictionary<string, byte> Vendors = new(StringComparer.Ordinal)
    {
        ["GenuineIntel"] = 0,
        ["CyrixInstead"] = 1,
        ["AuthenticAMD"] = 2,
        ["UMC UMC UMC"] = 3,
        ["CentaurHauls"] = 5,
        ["GenuineTMx86"] = 7,
        ["TransmetaCPU"] = 7,
        ["Geode by NSC"] = 8,
        ["HygonGenuine"] = 9,
        ["Shanghai"] = 10,
    };

    /// <summary>Reads the first processor block of /proc/cpuinfo; missing or odd fields stay 0 / unknown.</summary>
    public static CpuIdentity FromCpuInfo(string cpuinfo)
    {
        byte vendor = UnknownVendor, family = 0, model = 0, stepping = 0;
        foreach (var raw in cpuinfo.Split('\n'))
        {
            if (raw.Length == 0) break; // a blank line ends the first processor's block
            var colon = raw.IndexOf(':');
            if (colon < 0) continue;
            var key = raw[..colon].Trim();
            var value = raw[(colon + 1)..].Trim();
            switch (key)
            {
                case "vendor_id": vendor = Vendors.GetValueOrDefault(value, UnknownVendor); break;
                case "cpu family": family = ParseByte(value); break;
                case "model": model = ParseByte(value); break;
                case "stepping": stepping = ParseByte(value); break;
            }
        }
        return new CpuIdentity(vendor, family, model, stepping);
    }

    // Values wider than a byte (none on real x86 today) keep their low 8 bits, as the kernel's u8 does.
    private static byte ParseByte(string value) => uint.TryParse(value, out var n) ? (byte)n : (byte)0;
}
