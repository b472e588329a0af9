namespace Netoops.Benchmarks.Collector;

/// <summary>The machine is shared: every figure is printed with the load it was measured under.</summary>
internal static class LoadAverage
{
    public static string Now() =>
        File.Exists("/proc/loadavg") ? "load average " + string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "load average unknown";
}
