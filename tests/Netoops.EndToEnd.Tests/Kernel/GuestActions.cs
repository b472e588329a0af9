namespace Netoops.EndToEnd.Tests.Kernel;

/// <summary>
/// The guest's /init writes "initlog: action &lt;name&gt;" to the kernel log before each action, so
/// a log splits into one stretch per action: the crash report it provoked and nothing else.
/// </summary>
public static class GuestActions
{
    private const string Marker = "initlog: ";

    /// <summary>The lines after "initlog: action &lt;action&gt;" up to the next initlog line (or the end).</summary>
    public static IReadOnlyList<string> LinesOf(IEnumerable<string> lines, string action)
    {
        var stretch = new List<string>();
        var inside = false;
        foreach (var line in lines)
        {
            var text = ConsoleText.WithoutTimestamp(line);
            if (text.StartsWith(Marker, StringComparison.Ordinal))
            {
                if (inside)
                    break;
                inside = text == $"{Marker}action {action}";
                continue;
            }
            if (inside)
                stretch.Add(line);
        }
        return stretch;
    }
}
