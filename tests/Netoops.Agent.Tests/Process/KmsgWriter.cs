using System.Text;

namespace Netoops.Agent.Tests.Process;

/// <summary>Writes dmesg-style lines into the agent's FIFO as /dev/kmsg records, one write per record.</summary>
public static class KmsgWriter
{
    public static void WriteLines(string fifo, IEnumerable<string> dmesgLines, int firstSequence = 100)
    {
        using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Write);
        var sequence = firstSequence;
        foreach (var line in dmesgLines)
        {
            // "[   12.000001] text" → "4,<seq>,12000001,-;text"
            var close = line.IndexOf(']');
            var stamp = line[1..close].Trim().Split('.');
            var micros = ulong.Parse(stamp[0]) * 1_000_000 + ulong.Parse(stamp[1]);
            stream.Write(Encoding.UTF8.GetBytes($"4,{sequence++},{micros},-;{line[(close + 2)..]}\n"));
            stream.Flush();
        }
    }

    /// <summary>
    /// Writes recorded /dev/kmsg output (<c>PRIO,SEQ,USEC,-;text</c> records, each maybe followed by
    /// its <c> KEY=value</c> lines) into the FIFO, one write per record as the kernel hands them out.
    /// </summary>
    public static void WriteRecords(string fifo, IEnumerable<string> recordedLines)
    {
        using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Write);
        var record = new StringBuilder();
        foreach (var line in recordedLines)
        {
            if (!line.StartsWith(' ') && record.Length > 0)
            {
                stream.Write(Encoding.UTF8.GetBytes(record.ToString()));
                stream.Flush();
                record.Clear();
            }
            record.Append(line).Append('\n');
        }
        if (record.Length > 0) stream.Write(Encoding.UTF8.GetBytes(record.ToString()));
    }
}
