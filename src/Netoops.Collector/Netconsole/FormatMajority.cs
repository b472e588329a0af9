namespace Netoops.Collector.Netconsole;

/// <summary>
/// Which netconsole format a sender speaks, settled by the datagrams that agree rather than by the
/// first one: a single spoofed basic datagram at the start of an extended stream used to switch
/// the whole session to basic (release lost, raw headers in reports). Until one format leads by
/// <see cref="SettleMargin"/> votes, each datagram is read in its own format; from then on a
/// datagram of the other format is refused (counted), until that format leads by the margin in
/// turn. Votes are capped, so a host rebooted into the other format wins its session back after
/// a bounded number of datagrams.
/// </summary>
public sealed class FormatMajority
{
    public const int SettleMargin = 4;
    public const int MaxVotes = 64;

    private int _extended;
    private int _basic;
    private bool? _settledExtended;

    /// <summary>A settled basic stream: a basic line cut at 1000 bytes may go on with <c>12,</c>, so nothing there claims to be extended.</summary>
    public bool SettledBasic => _settledExtended == false;

    /// <summary>
    /// A datagram that opens like an extended record (<c>level,</c>: digits then a comma, as
    /// <c>info_print_ext_header</c> in kernel/printk/printk.c writes it) but does not parse is a
    /// broken extended message, refused with its parse error; it is no vote for basic text.
    /// </summary>
    public static bool ClaimsExtended(ReadOnlySpan<byte> datagram)
    {
        var digits = 0;
        while (digits < datagram.Length && char.IsAsciiDigit((char)datagram[digits])) digits++;
        return digits > 0 && digits < datagram.Length && datagram[digits] == (byte)',';
    }

    /// <summary>Records a datagram's format; true when the session reads it, false when it is the outvoted minority.</summary>
    public bool Admit(bool extended)
    {
        if (extended) _extended = Math.Min(_extended + 1, MaxVotes);
        else _basic = Math.Min(_basic + 1, MaxVotes);
        var lead = _extended - _basic;
        if (lead >= SettleMargin) _settledExtended = true;
        else if (lead <= -SettleMargin) _settledExtended = false;
        return _settledExtended is not { } settled || settled == extended;
    }
}
