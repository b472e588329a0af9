namespace Netoops.Analysis;

/// <summary>
/// Frame-name fragments to skip, written the way they read: <c>kasan</c> anywhere in the name,
/// <c>^rb_</c> at its start, <c>^complete$</c> the whole name. Plain string tests, no regex engine.
/// </summary>
internal sealed class FrameFilter
{
    private readonly string[] anywhere, prefixes, suffixes, exact;

    public FrameFilter(IEnumerable<string> fragments)
    {
        List<string> a = [], p = [], s = [], e = [];
        foreach (var fragment in fragments)
        {
            bool start = fragment.StartsWith('^'), end = fragment.EndsWith('$');
            var core = fragment[(start ? 1 : 0)..(fragment.Length - (end ? 1 : 0))];
            (start && end ? e : start ? p : end ? s : a).Add(core);
        }
        (anywhere, prefixes, suffixes, exact) = (a.ToArray(), p.ToArray(), s.ToArray(), e.ToArray());
    }

    public bool Skips(string function)
    {
        foreach (var x in exact)
            if (function == x)
                return true;
        foreach (var x in prefixes)
            if (function.StartsWith(x, StringComparison.Ordinal))
                return true;
        foreach (var x in suffixes)
            if (function.EndsWith(x, StringComparison.Ordinal))
                return true;
        foreach (var x in anywhere)
            if (function.Contains(x, StringComparison.Ordinal))
                return true;
        return false;
    }
}
