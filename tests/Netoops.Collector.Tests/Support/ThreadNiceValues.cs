namespace Netoops.Collector.Tests.Support;

/// <summary>
/// This process's threads and their nice values as the kernel has them (not as the code thinks it
/// set them): /proc/self/task/&lt;tid&gt;/comm, and field 19 of .../stat.
/// </summary>
internal static class ThreadNiceValues
{
    public static IReadOnlyList<(string Name, int Nice)> OfThisProcess()
    {
        var threads = new List<(string, int)>();
        foreach (var task in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                threads.Add((File.ReadAllText(Path.Combine(task, "comm")).Trim(),
                    int.Parse(File.ReadAllText(Path.Combine(task, "stat")).Split(')')[1].Split(' ')[17])));
            }
            catch (IOException) { } // the thread ended while we looked
        }
        return threads;
    }
}
