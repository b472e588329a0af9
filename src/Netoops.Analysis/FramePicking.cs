using System.Text.RegularExpressions;

namespace Netoops.Analysis;

/// <summary>Walks the parts of a report a <see cref="StackSpec"/> names and picks the frame that names the bug.</summary>
internal static class FramePicking
{
    private static readonly Regex[] StackStarts =
    [
        Pattern.Of(@"Call [Tt]race"), Pattern.Of(@"Allocated:"), Pattern.Of(@"Allocated by task [0-9]+:"),
        Pattern.Of(@"Freed:"), Pattern.Of(@"Freed by task [0-9]+:"), Pattern.Of(@"[^k] backtrace:"),
    ];

    // Fault injection prints its own stack into the middle of whatever it made fail.
    private static readonly Regex InjectedFault = Pattern.Of(@"^(?: <pc>)? ?should_fail(?:slab)?(?:\.[a-z0-9.]+)?\+0x");

    private static readonly Dictionary<StackSpec, FrameFilter> SkipCache = new(ReferenceEqualityComparer.Instance);

    public static bool TryPick(StackSpec spec, IReadOnlyList<string> lines, int from, List<string> frames, out string frame)
    {
        var skip = SkipFor(spec);
        if (TryPickWith(spec.Parts, spec, skip, lines, from, frames, out frame))
            return true;
        if (spec.Fallback is { } fallback)
        {
            frames.Clear();
            return TryPickWith(fallback, spec, skip, lines, from, frames, out frame);
        }
        return false;
    }

    private static bool TryPickWith(Regex?[] parts, StackSpec spec, FrameFilter skip, IReadOnlyList<string> lines, int from,
        List<string> frames, out string frame)
    {
        bool ok = true;
        int line = from;
        var found = new List<string>(2);
        for (int part = 0; part < parts.Length; part++)
        {
            if (parts[part] is { } regex)
            {
                for (; line < lines.Count; line++)
                {
                    if (InjectedFault.IsMatch(lines[line]))
                    {
                        ok = false;
                        line++;
                        goto nextPart;
                    }
                    var m = regex.Match(lines[line]);
                    if (!m.Success)
                        continue;
                    AddFrame(m, skip, frames);
                    line++;
                    break;
                }
                continue;
            }
            // A stack trace: read entries until the next stack starts.
            for (; line < lines.Count; line++)
            {
                var text = lines[line];
                if (InjectedFault.IsMatch(text))
                {
                    ok = false;
                    line++;
                    break;
                }
                if (IsStackStart(text))
                {
                    line++;
                    break;
                }
                if (part + 1 < parts.Length && parts[part + 1] is { } next && next.Match(text) is { Success: true } m)
                {
                    // The part after the trace matched: it ends the trace and is done with.
                    AddFrame(m, skip, frames);
                    part++;
                    line++;
                    break;
                }
                found.Clear();
                StackFrame.ReadFunctions(text, found);
                foreach (var function in found)
                    AddIfInteresting(function, skip, frames);
            }
        nextPart:;
        }
        frame = Pick(spec.Picker, frames);
        return ok && frame.Length > 0;
    }

    private static bool IsStackStart(string text)
    {
        foreach (var start in StackStarts)
            if (start.IsMatch(text))
                return true;
        return false;
    }

    private static void AddFrame(Match m, FrameFilter skip, List<string> frames)
    {
        for (int g = 1; g < m.Groups.Count; g++)
            if (m.Groups[g].Success && m.Groups[g].Length > 0)
                AddIfInteresting(m.Groups[g].Value, skip, frames);
    }

    private static void AddIfInteresting(string function, FrameFilter skip, List<string> frames)
    {
        if (!skip.Skips(function))
            frames.Add(function);
    }

    private static string Pick(FramePicker picker, List<string> frames)
    {
        if (frames.Count == 0)
            return "";
        return picker switch
        {
            FramePicker.Stall => StallFrames.Pick(frames),
            FramePicker.HungTask => StallFrames.PickHung(frames),
            _ => FrameSkips.StripWrapper(frames[0]),
        };
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
