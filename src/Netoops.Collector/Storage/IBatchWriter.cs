using System.Data.Common;

namespace Netoops.Collector.Storage;

/// <summary>Writes one prepared batch inside the caller's transaction; returns the new crash ids in batch order.</summary>
internal interface IBatchWriter
{
    IReadOnlyList<long> Write(DbConnection connection, DbTransaction tx, BatchRows rows);
}
