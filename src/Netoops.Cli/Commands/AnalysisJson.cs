using System.Text.Encodings.Web;
using System.Text.Json;
using Netoops.Analysis;

namespace Netoops.Cli.Commands;

/// <summary>One JSON line per analysed file, with exactly the fields of the analyze interface.</summary>
internal static class AnalysisJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(TextWriter output, string file, CrashReport? report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            json.WriteBoolean("crash", report is { IsBug: true });
            WriteStringOrNull(json, "title", report?.Title);
            WriteStringOrNull(json, "bucket", report?.Bucket);
            json.WriteBoolean("corrupted", report?.Corrupted ?? false);
            WriteStringOrNull(json, "type", report?.Type);
            WriteStringOrNull(json, "kind", report?.Kind.ToString());
            json.WriteStartArray("frames");
            foreach (var frame in report?.Frames ?? [])
                json.WriteStringValue(frame);
            json.WriteEndArray();
            WriteRegisters(json, report?.Registers);
            WriteHardware(json, report?.Hardware);
            WriteKernel(json, report);
            json.WriteEndObject();
        }
        output.Write(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        output.Write('\n');
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value == null)
            json.WriteNull(name);
        else
            json.WriteString(name, value);
    }

    private static void WriteRegisters(Utf8JsonWriter json, Registers? registers)
    {
        if (registers == null)
        {
            json.WriteNull("registers");
            return;
        }
        json.WriteStartObject("registers");
        foreach (var (name, value) in registers.Named())
            json.WriteString(name, $"0x{value:x}");
        WriteStringOrNull(json, "function", registers.Function);
        json.WriteBoolean("user_mode", registers.IsUserMode);
        json.WriteBoolean("i386", registers.Is32Bit);
        json.WriteEndObject();
    }

    private static void WriteHardware(Utf8JsonWriter json, Hardware? hardware)
    {
        if (hardware == null)
        {
            json.WriteNull("hardware");
            return;
        }
        json.WriteStartObject("hardware");
        json.WriteString("system", hardware.System);
        WriteStringOrNull(json, "board", hardware.Board);
        WriteStringOrNull(json, "bios_version", hardware.BiosVersion);
        WriteStringOrNull(json, "bios_date", hardware.BiosDate);
        json.WriteEndObject();
    }

    private static void WriteKernel(Utf8JsonWriter json, CrashReport? report)
    {
        if (report?.Kernel == null)
        {
            json.WriteNull("kernel");
            return;
        }
        var kernel = report.Kernel;
        json.WriteStartObject("kernel");
        WriteStringOrNull(json, "release", kernel.Release);
        WriteStringOrNull(json, "build", kernel.Build);
        json.WriteString("taint", kernel.Taint);
        json.WriteStartArray("modules");
        foreach (var module in kernel.Modules)
            json.WriteStringValue(module);
        json.WriteEndArray();
        if (report.Task is { } task)
        {
            json.WriteNumber("cpu", task.Cpu);
            json.WriteNumber("pid", task.Pid);
            if (task.Uid is { } uid)
                json.WriteNumber("uid", uid);
            json.WriteString("comm", task.Comm);
        }
        json.WriteEndObject();
    }
}
