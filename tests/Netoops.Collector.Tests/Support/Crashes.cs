using Netoops.Collector.Storage;

namespace Netoops.Collector.Tests.Support;

/// <summary>Builds crash records for storage tests; every field has a plain default.</summary>
internal static class Crashes
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    public static CrashRecord Record(string bucket = "warn:provoke_warn", string host = "10.0.0.1", int minutes = 0,
        string kernel = "6.1.0-56-cloud-amd64", string blob = "", CpuIdentity? cpu = null, string hardware = "QEMU Standard PC (i440FX + PIIX, 1996)") => new()
    {
        Origin = CrashOrigin.Netoops,
        HostAddress = host,
        Source = host + ":2004",
        ReceivedAt = T0.AddMinutes(minutes),
        BucketKey = bucket,
        Title = "WARNING in " + bucket,
        Kind = bucket.Split(':')[0],
        Kernel = kernel,
        BootId = 7,
        DumpId = 42,
        DumpType = 1,
        Cpu = cpu ?? new CpuIdentity(0, 6, 85, 4),
        Machine = new MachineIdentity(hardware, "", "BIOS 1.16.2-debian-1.16.2-1 04/01/2014"),
        UserBlob = blob,
        Registers = new Dictionary<string, ulong> { ["ip"] = 0xffffffff81000000, ["sp"] = 0xffffd33b0059bd08 },
        Report = "WARNING: CPU: 0 PID: 137 at provoke.c:9 provoke_warn+0x11/0x20 [provoke]",
        LogText = "[    1.0] hello\nWARNING: CPU: 0 PID: 137 at provoke.c:9 provoke_warn+0x11/0x20 [provoke]\n",
    };
}
