using System.Globalization;
using System.Net.Sockets;

namespace Netoops.Collector.Ingest;

/// <summary>
/// Reads how many datagrams the kernel dropped on one socket (its receive buffer was full) from
/// the `drops` column of /proc/net/udp[6], finding the socket's row by its inode.
/// </summary>
public static class KernelDrops
{
    public static Func<long> For(Socket socket)
    {
        var inode = SocketInode(socket);
        return () => inode is { } i ? Read(i) : 0;
    }

    private static string? SocketInode(Socket socket)
    {
        try
        {
            var target = new FileInfo($"/proc/self/fd/{socket.SafeHandle.DangerousGetHandle()}").LinkTarget;
            // "socket:[123456]"
            return target is { } t && t.StartsWith("socket:[", StringComparison.Ordinal) ? t[8..^1] : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static long Read(string inode)
    {
        foreach (var table in new[] { "/proc/net/udp", "/proc/net/udp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
                if (fields.Length >= 13 && fields[9] == inode)
                    return long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }
}
