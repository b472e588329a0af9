using System.Text.RegularExpressions;

namespace Netoops.Analysis;

/// <summary>Walks the parts of a report a <see cref="StackSpec"/> names and picks the frame that names the bug.</summary>
internal static class FramePicking
{
    // Headings that start the next stack of a report (the allocation and free stacks of KASAN, kmemleak's).
    public static bool IsStackStart(string text) =>
        text.Contains("Call Trace", StringComparison.Ordinal) || text.Contains("Call trace", StringComparison.Ordinal) ||
        text.Contains("Allocated", StringComparison.Ordinal) && (text.Contains("Allocated:", StringComparison.Ordinal) || text.Contains("Allocated by task ", StringComparison.Ordinal)) ||
        text.Contains("Freed", StringComparison.Ordinal) && (text.Contains("Freed:", StringComparison.Ordinal) || text.Contains("Freed by task ", StringComparison.Ordinal)) ||
        IsBacktraceHeading(text);

    // "backtrace:" (kmemleak) but not lockdep's "stack backtrace:".
    private static bool IsBacktraceHeading(string text)
    {
        int at = text.IndexOf(" backtrace:", StringComparison.Ordinal);
        return at > 0 && text[at - 1] != 'k';
    }

    // Fault injection prints its own stack into the middle of whatever it made fail.
    private static bool IsInjectedFault(string text)
    {
        int at = text.IndexOf("should_fail", StringComparison.Ordinal);
        return at >= 0 && StackFrame.TryParse(text, out var frame) && frame.Function.StartsWith("should_fail", StringComparison.Ordinal);
    }

    private static readonly Dictionary<StackSpec, FrameFilter> SkipCache = new(ReferenceEqualityComparer.Instance);

    /// <summary>How many of the interesting frames a report keeps to show.</summary>
    public const int FramesShown = 16;

    public static bool TryPick(StackSpec spec, IReadOnlyList<string> lines, int from, List<string> shown, out string frame)
    {
        var skip = SkipFor(spec);
        if (TryPickWith(spec.Parts, spec, skip, lines, from, shown, out frame))
            return true;
        if (spec.Fallback is { } fallback)
        {
            shown.Clear();
            return TryPickWith(fallback, spec, skip, lines, from, shown, out frame);
        }
        return false;
    }

    private static bool TryPickWith(Pattern?[] parts, StackSpec spec, FrameFilter skip, IReadOnlyList<string> lines, int from,
        List<string> shown, out string frame)
    {
        var walk = new Walk(lines, from, skip, spec.Picker == FramePicker.First);
        for (int part = 0; part < parts.Length && walk.Line < lines.Count; part++)
        {
            if (parts[part] is { } pattern)
                walk.FindLine(pattern);
            else if (walk.ReadTrace(part + 1 < parts.Length ? parts[part + 1] : null))
                part++; // the part after the trace ended it
        }
        var interesting = walk.Frames.Where(f => !walk.IsGeneric(f));
        frame = spec.Picker switch
        {
            FramePicker.Stall => StallFrames.Pick(interesting),
            FramePicker.HungTask => StallFrames.PickHung(interesting.ToList()),
            _ => interesting.Select(FrameSkips.StripWrapper).FirstOrDefault() ?? "",
        };
        shown.AddRange(interesting.Take(FramesShown));
        return walk.Ok && frame.Length > 0;
    }

    /// <summary>
    /// One pass over the report lines. Frames are kept raw and filtered only when a picker asks,
    /// and once the first interesting frame is known a first-frame picker stops parsing entries
    /// (the lines are still watched for injected faults, which mark the report damaged).
    /// </summary>
    private sealed class Walk(IReadOnlyList<string> lines, int from, FrameFilter skip, bool firstOnly)
    {
        public int Line = from;
        public bool Ok = true;
        public readonly List<string> Frames = [];
        private bool haveInteresting;
        private readonly List<string> names = new(2);
        // Functions whose stack line places them in kernel machinery (FrameSkips.MachineryPlaces).
        private HashSet<string>? machinery;

        public bool IsGeneric(string function) => skip.Skips(function) || (machinery?.Contains(function) ?? false);

        public void FindLine(Pattern pattern)
        {
            for (; Line < lines.Count; Line++)
            {
                if (IsInjectedFault(lines[Line]))
                {
                    Ok = false;
                    Line++;
                    return;
                }
                var m = pattern.Match(lines[Line]);
                if (!m.Success)
                    continue;
                AddCaptures(m);
                Line++;
                return;
            }
        }

        /// <summary>Reads stack entries until the next stack starts; true when <paramref name="next"/> ended it.</summary>
        public bool ReadTrace(Pattern? next)
        {
            for (; Line < lines.Count; Line++)
            {
                var text = lines[Line];
                if (IsInjectedFault(text))
                {
                    Ok = false;
                    Line++;
                    return false;
                }
                if (IsStackStart(text))
                {
                    Line++;
                    return false;
                }
                if (next != null && next.Match(text) is { Success: true } m)
                {
                    AddCaptures(m);
                    Line++;
                    return true;
                }
                if (firstOnly && haveInteresting)
                    continue;
                names.Clear();
                StackFrame.ReadFunctions(text, names);
                if (names.Count > 0 && FrameSkips.IsMachineryPlace(text))
                    foreach (var name in names)
                        (machinery ??= []).Add(name);
                foreach (var name in names)
                    Add(name);
            }
            return false;
        }

        private void AddCaptures(Match m)
        {
            for (int g = 1; g < m.Groups.Count; g++)
                if (m.Groups[g].Success && m.Groups[g].Length > 0)
                    Add(m.Groups[g].Value);
        }

        private void Add(string function)
        {
            Frames.Add(function);
            if (firstOnly && !haveInteresting)
                haveInteresting = !IsGeneric(function);
        }
    }

    private static FrameFilter SkipFor(StackSpec spec)
    {
        lock (SkipCache)
        {
            if (SkipCache.TryGetValue(spec, out var cached))
                return cached;
            var filter = new FrameFilter(FrameSkips.Generic.Concat(spec.Skip ?? []));
            SkipCache[spec] = filter;
            return filter;
        }
    }
}
