using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Netoops.Protocol.Kmsg;

namespace Netoops.Protocol.Tests.Kmsg;

public class KmsgPropertyTests
{
    private static string Valid(string? text)
    {
        var valid = new StringBuilder();
        foreach (var c in text ?? "")
            valid.Append(char.IsSurrogate(c) ? '?' : c);
        return valid.ToString();
    }

    [Property(MaxTest = 300)]
    public bool Any_record_formatted_as_kmsg_parses_back_to_itself(
        byte facility, byte level, ulong sequence, ulong timestamp, bool continuation, string? text, string? value, bool withCaller)
    {
        var record = new KmsgRecord(facility * 8 + level % 8, sequence, timestamp, continuation, withCaller ? "C3" : null,
            Valid(text), [new("SUBSYSTEM", Valid(value))]);

        return KmsgParser.TryParse(KmsgParser.Format(record), out var parsed) == RecordError.None && parsed == record;
    }
}
