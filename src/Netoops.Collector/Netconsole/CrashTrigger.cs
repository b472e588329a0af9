using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Netoops.Analysis;

namespace Netoops.Collector.Netconsole;

/// <summary>
/// A cheap first look at every netconsole line: may it open a kernel crash report? Only then does
/// a session start capturing, and analysis decides on the captured lines whether there was a crash.
/// The markers and the closing line are the analysis library's (<see cref="ReportBoundary"/>), so
/// the collector captures exactly what the analyser and the agent call a report; this class only
/// makes the per-line test fast for the receive thread.
/// </summary>
public static class CrashTrigger
{
    private static readonly string[] StartMarkers = [.. ReportBoundary.StartMarkers];

    private static readonly SearchValues<string> StartMarkerSearch = SearchValues.Create(StartMarkers, StringComparison.Ordinal);
    private static readonly byte[][] StartMarkerBytes = [.. StartMarkers.Select(Encoding.ASCII.GetBytes)];

    /// <summary>One bit per pair of bytes that begins a marker: most positions of a line are ruled out by one table lookup.</summary>
    private static readonly ulong[] MarkerStarts = BuildMarkerStarts();

    /// <summary>For lines that came as strings (escaped, reassembled or basic-format text).</summary>
    public static bool OpensReport(ReadOnlySpan<char> line) => line.IndexOfAny(StartMarkerSearch) >= 0;

    /// <summary>Where the first start marker in <paramref name="text"/> begins, or −1: the framework's vectorised multi-string search, for whole dumps off the receive thread.</summary>
    public static int IndexOfMarker(ReadOnlySpan<char> text) => text.IndexOfAny(StartMarkerSearch);

    /// <summary>
    /// For the ASCII lines of the common path. Written out here rather than through the framework's
    /// multi-string search because that generic code runs unoptimised until tiered compilation gets
    /// to it, which on a saturated receive core took many seconds.
    /// </summary>
    public static bool OpensReport(ReadOnlySpan<byte> line) => IndexOfMarker(line) >= 0;

    /// <summary>Where the first start marker in <paramref name="text"/> begins (any number of lines), or −1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int IndexOfMarker(ReadOnlySpan<byte> text)
    {
        for (var i = 0; i + 1 < text.Length; i++)
        {
            var pair = text[i] | text[i + 1] << 8;
            if ((MarkerStarts[pair >> 6] & (1UL << (pair & 63))) == 0) continue;
            var rest = text[i..];
            foreach (var marker in StartMarkerBytes)
                if (marker[0] == rest[0] && marker[1] == rest[1] && rest.StartsWith(marker)) return i;
        }
        return -1;
    }

    /// <summary>The kernel's closing line of a report (<see cref="ReportBoundary.Closes"/>).</summary>
    public static bool ClosesReport(ReadOnlySpan<char> line) => ReportBoundary.Closes(line);

    private static ulong[] BuildMarkerStarts()
    {
        var bits = new ulong[65536 / 64];
        foreach (var marker in StartMarkers)
        {
            var pair = marker[0] | marker[1] << 8;
            bits[pair >> 6] |= 1UL << (pair & 63);
        }
        return bits;
    }
}
