using System.Text.RegularExpressions;

namespace Netoops.Analysis;

/// <summary>Which frames of a report may name it and how to pick one.</summary>
/// <param name="Parts">Matched in order from the title line on. A part with a capture group offers a
/// frame; <see cref="StackSpec.Trace"/> reads stack entries until the next stack starts.</param>
/// <param name="Fallback">Tried when <paramref name="Parts"/> yields no frame (e.g. the RIP function is generic).</param>
/// <param name="Skip">Extra frame-name fragments that never name a report of this kind.</param>
/// <param name="Picker">How to choose among the frames that survive skipping.</param>
internal sealed record StackSpec(Pattern?[] Parts, Pattern?[]? Fallback = null, string[]? Skip = null,
    FramePicker Picker = FramePicker.First)
{
    /// <summary>The placeholder part that means "read a stack trace here".</summary>
    public const Pattern? Trace = null;
}

internal enum FramePicker { First, Stall, HungTask }

/// <summary>One way a report of a group is titled.</summary>
internal sealed record TitleRule
{
    /// <summary>Matched against one report line; the earliest matching line wins.</summary>
    public required Pattern Title { get; init; }

    /// <summary>Optional follow-up: the first regex on the title line, each next one on a later line.
    /// Their captures replace the title's; when one is not found, this rule does not apply.</summary>
    public Pattern[]? Report { get; init; }

    /// <summary>The title: <c>{1}</c>, <c>{2}</c>… are captures, <c>{frame}</c> the chosen frame.</summary>
    public required string Format { get; init; }

    public StackSpec? Stack { get; init; }

    /// <summary>This kind of report carries no stack trace, so its absence does not mean damage.</summary>
    public bool NoStackTrace { get; init; }

    /// <summary>Reaching this rule means the report is damaged (its real header was lost).</summary>
    public bool Corrupted { get; init; }

    public CrashKind? Kind { get; init; }
}

/// <summary>All the rules for reports that start with one header text.</summary>
/// <param name="Header">A line containing this text starts a report…</param>
/// <param name="Ignore">…unless it matches one of these (e.g. <c>ODEBUG:</c> is not <c>BUG:</c>).</param>
internal sealed record ReportGroup(string Header, CrashKind Kind, TitleRule[] Rules, Pattern[] Ignore);
