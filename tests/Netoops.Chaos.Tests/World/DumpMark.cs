using System.Text;
using Netoops.Actors.Dumps;

namespace Netoops.Chaos.Tests.World;

/// <summary>
/// Which dump a log is: every crash a schedule makes starts its log with <c>chaos dump #N</c>, so a
/// request to the coordinator, a spool file or a report can be traced back to the crash it carries,
/// whatever id it went out under. The id cannot be that name: telling ids apart is what is checked.
/// </summary>
public static class DumpMark
{
    private const string Prefix = "chaos dump #";

    public static byte[] Log(int number, int bytes)
    {
        var log = new byte[Math.Max(bytes, 32)];
        Array.Fill(log, (byte)'x');
        Encoding.ASCII.GetBytes($"{Prefix}{number}\n").CopyTo(log, 0);
        return log;
    }

    public static string Of(LogSnapshot log) => Of(log.Older.Length > 0 ? log.Older.Span : log.Newer.Span);

    public static string Of(ReadOnlySpan<byte> log)
    {
        var head = Encoding.ASCII.GetString(log[..Math.Min(log.Length, 32)]);
        if (!head.StartsWith(Prefix, StringComparison.Ordinal)) return "an unmarked dump";
        var end = head.IndexOf('\n');
        return end < 0 ? "an unmarked dump" : "dump #" + head[Prefix.Length..end];
    }
}
