using System.Text;
using Netoops.Protocol.Kmsg;
using Netoops.Protocol.Netconsole;

namespace Netoops.Actors.Targets;

/// <summary>How one target puts one record on the wire, by its own attributes (pure).</summary>
public static class NetconsoleFormat
{
    /// <summary>
    /// Basic: the text and its newline in ≤ 1000-byte pieces. Extended: the kmsg header form with
    /// the release prefix, userdata and sysdata lines; <paramref name="messageId"/> is the target's
    /// msgid counter, advanced only when msgid_enabled is on.
    /// </summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> Datagrams(KmsgRecord record, TargetAttributes a, string release, ref uint messageId)
    {
        if (!a.Extended)
            return NetconsoleBasic.Chunks(Encoding.UTF8.GetBytes(record.Text + "\n")).ToList();
        uint? id = a.Sysdata.MsgId ? ++messageId : null;
        var sysdata = Sysdata.Lines(
            cpu: a.Sysdata.CpuNr ? CpuOf(record) : null,
            taskName: null, // user space does not know which task printed a kernel record
            release: a.Sysdata.Release ? release : null,
            messageId: id);
        var userdata = a.Userdata.Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value)).ToList();
        return ExtendedWriter.Write(record, a.Release ? release : null, userdata, sysdata)
            .Select(b => (ReadOnlyMemory<byte>)b).ToList();
    }

    /// <summary>The CPU from a <c>caller=C&lt;n&gt;</c> field, when the kernel reported one.</summary>
    private static int? CpuOf(KmsgRecord record) =>
        record.Caller is { Length: > 1 } c && c[0] == 'C' && int.TryParse(c.AsSpan(1), out var cpu) ? cpu : null;
}
