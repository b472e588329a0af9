namespace Netoops.Collector.Storage;

/// <summary>The crashes table's columns, in one order shared by both engines' insert statements.</summary>
internal static class CrashSql
{
    public static readonly string[] Columns =
    [
        "bucket_id", "host_id", "origin", "source", "received_at", "stored_at", "kind", "title", "kernel",
        "boot_id", "dump_id", "dump_type", "cpu_vendor", "cpu_family", "cpu_model", "cpu_stepping",
        "hardware", "board", "bios", "user_blob", "registers", "complete", "packet_count", "missing", "report", "log_text", "analysed_by", "authenticated",
    ];

    public static readonly string[] Parameters = [.. Columns.Select(c => "@" + c)];

    public static readonly string InsertOne =
        $"INSERT INTO crashes({string.Join(", ", Columns)}) VALUES ({string.Join(", ", Parameters)}) RETURNING id";

    /// <summary>One crash's values in <see cref="Columns"/> order.</summary>
    public static object?[] Values(BatchRows.Crash c, long bucketId, long hostId, long storedAt) =>
    [
        bucketId, hostId, c.Record.Origin, c.Source, c.ReceivedAt, storedAt, c.Kind, c.Title, c.Kernel,
        c.BootId, c.DumpId, c.DumpType, c.Record.Cpu?.Vendor, c.Record.Cpu?.Family, c.Record.Cpu?.Model, c.Record.Cpu?.Stepping,
        c.Hardware, c.Board, c.Bios, c.UserBlob, c.Registers, c.Record.Complete ? 1 : 0, c.Record.PacketCount, c.Missing, c.Report, c.LogText, c.Record.AnalysedBy, c.Record.Authenticated ? 1 : 0,
    ];
}
