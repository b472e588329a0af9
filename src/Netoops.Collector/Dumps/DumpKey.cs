using Netoops.Collector.Ingest;

namespace Netoops.Collector.Dumps;

/// <summary>What makes packets one dump: the sender, its boot, the dump's id and type.</summary>
public readonly record struct DumpKey(SourceAddress Source, uint BootId, ushort DumpId, ushort Type)
{
    public override string ToString() => $"{Source} boot {BootId} dump {DumpId} type {Type}";
}
