namespace Netoops.Protocol.Kmsg;

/// <summary>Why a kmsg record or netconsole extended message could not be read. <see cref="None"/> means it could.</summary>
public enum RecordError
{
    None = 0,
    Empty,
    MissingSemicolon,
    BadPriority,
    BadSequence,
    BadTimestamp,
    BadFlags,
    BadFragment,
    BadDictionaryLine,
    TooLong,
}

public static class RecordErrorText
{
    public static string Code(this RecordError error) => error switch
    {
        RecordError.None => "none",
        RecordError.Empty => "empty",
        RecordError.MissingSemicolon => "missing_semicolon",
        RecordError.BadPriority => "bad_priority",
        RecordError.BadSequence => "bad_sequence",
        RecordError.BadTimestamp => "bad_timestamp",
        RecordError.BadFlags => "bad_flags",
        RecordError.BadFragment => "bad_fragment",
        RecordError.BadDictionaryLine => "bad_dictionary_line",
        RecordError.TooLong => "too_long",
        _ => "unknown",
    };

    public static string Describe(this RecordError error) => error switch
    {
        RecordError.None => "a valid record",
        RecordError.Empty => "the record is empty",
        RecordError.MissingSemicolon => "no ';' ends the header <prio>,<seq>,<ts_usec>,<flags>",
        RecordError.BadPriority => "the priority is not a decimal number",
        RecordError.BadSequence => "the sequence number is not a decimal number",
        RecordError.BadTimestamp => "the timestamp is not a decimal number of microseconds",
        RecordError.BadFlags => "the flags field is not '-', 'c' or '+'",
        RecordError.BadFragment => "ncfrag is not <offset>/<total> with offset below total",
        RecordError.BadDictionaryLine => "a line after the text is not ' KEY=value'",
        RecordError.TooLong => "the record is longer than the receiver accepts",
        _ => "unknown error",
    };
}
