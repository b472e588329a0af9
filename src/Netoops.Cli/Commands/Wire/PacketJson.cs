using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Netoops.Protocol.Packets;

namespace Netoops.Cli.Commands.Wire;

/// <summary>
/// One packet as a JSON object, fields named as in the kernel struct. Registers are hex strings
/// ("0xffffffffc0a01011"): kernel addresses do not fit a JSON number exactly.
/// </summary>
internal static class PacketJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Packet(string file, NetoopsPacket packet)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            json.WriteNumber("version", packet.Version);
            json.WriteNumber("dump_id", packet.DumpId);
            json.WriteNumber("data_offset", packet.DataOffset);
            json.WriteNumber("arch", packet.Arch);
            json.WriteNumber("arch_offset", packet.ArchOffset);
            json.WriteNumber("type", (ushort)packet.Type);
            json.WriteNumber("packet_count", packet.PacketCount);
            json.WriteNumber("packet_no", packet.PacketNo);
            json.WriteNumber("boot_id", packet.BootId);
            json.WriteString("kernel_version", Encoding.UTF8.GetString(packet.KernelVersion));
            json.WriteString("user_blob", Encoding.UTF8.GetString(packet.UserBlob));
            var cpu = packet.Cpu;
            json.WriteNumber("x86_vendor", cpu.Vendor);
            json.WriteNumber("x86_family", cpu.Family);
            json.WriteNumber("x86_model", cpu.Model);
            json.WriteNumber("x86_stepping", cpu.Stepping);
            json.WriteStartObject("regs");
            var registers = packet.Registers;
            foreach (var register in Enum.GetValues<X86Register>())
                json.WriteString(X86Registers.NameOf(register), "0x" + registers[register].ToString("x16", CultureInfo.InvariantCulture));
            json.WriteEndObject();
            json.WriteNumber("data_length", packet.Data.Length);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Error(string file, string code, string message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            json.WriteStartObject("error");
            json.WriteString("code", code);
            json.WriteString("message", message);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
