namespace Netoops.Protocol.Netconsole;

/// <summary>The basic netconsole format: the log text itself, cut into datagrams of at most 1000 bytes, no header.</summary>
public static class NetconsoleBasic
{
    /// <summary>MAX_PRINT_CHUNK: the largest netconsole datagram payload.</summary>
    public const int MaxChunk = 1000;

    public const int DefaultLocalPort = 6665;
    public const int DefaultRemotePort = 6666;

    public static IEnumerable<ReadOnlyMemory<byte>> Chunks(ReadOnlyMemory<byte> text)
    {
        for (var offset = 0; offset < text.Length; offset += MaxChunk)
            yield return text.Slice(offset, Math.Min(MaxChunk, text.Length - offset));
    }
}
