using System.Globalization;
using Microsoft.AspNetCore.Http;
using Netoops.Collector.Storage;

namespace Netoops.Collector.Http;

/// <summary>
/// Reads a <see cref="BucketFilter"/> from a query string. Names: from, to (ISO 8601 or unix
/// milliseconds), kernel, cpu_vendor (name or code), cpu_family, cpu_model, hardware, board, bios,
/// host, blob (key=value, repeatable), kind, q (title search), limit, offset.
/// A bad value is an error naming the parameter, never silently ignored: times outside 1970–9999,
/// text with control characters (PostgreSQL refuses a NUL in text) or over 1 KiB.
/// </summary>
public static class BucketFilterQuery
{
    /// <summary>Longer than any title, release or host a report holds: a search beyond it can match nothing.</summary>
    public const int MaxTextLength = 1024;

    // 9999-12-31T23:59:59.999Z: both stores and the dashboard handle four-digit years; crash times start in 1970.
    private const long LatestMilliseconds = 253_402_300_799_999;

    private static bool HasControl(string text)
    {
        foreach (var c in text)
            if (char.IsControl(c)) return true;
        return false;
    }

    public static BucketFilter Parse(IQueryCollection query, out string? error)
    {
        error = null;
        string? problem = null;
        string? Text(string name)
        {
            if (query[name].LastOrDefault() is not { Length: > 0 } v) return null;
            if (v.Length > MaxTextLength) problem ??= $"{name} must be at most {MaxTextLength} characters, got {v.Length}";
            else if (HasControl(v)) problem ??= $"{name} must not hold control characters (NUL, newline, ...)";
            else return v;
            return null;
        }
        int? Int(string name, int min, int max)
        {
            if (Text(name) is not { } v) return null;
            if (int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max) return n;
            problem ??= $"{name} must be a whole number from {min} to {max}, got '{v}'";
            return null;
        }
        DateTimeOffset? Time(string name)
        {
            if (Text(name) is not { } v) return null;
            DateTimeOffset? time = null;
            if (long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms))
                time = ms is >= 0 and <= LatestMilliseconds ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DateTimeOffset.MinValue;
            else if (DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                time = t;
            if (time is null)
                problem ??= $"{name} must be an ISO 8601 time or unix milliseconds, got '{v}'";
            else if (time < DateTimeOffset.UnixEpoch || time.Value.ToUnixTimeMilliseconds() > LatestMilliseconds)
                problem ??= $"{name} must be a time from 1970 to 9999, got '{v}'";
            else
                return time;
            return null;
        }
        int? vendor = null;
        if (Text("cpu_vendor") is { } vendorText)
        {
            vendor = CpuVendors.Parse(vendorText);
            if (vendor is null) problem ??= $"cpu_vendor must be a vendor name (Intel, AMD, ...) or code, got '{vendorText}'";
        }
        var labels = new List<KeyValuePair<string, string>>();
        foreach (var pair in query["blob"])
        {
            var eq = pair?.IndexOf('=') ?? -1;
            if (eq <= 0) { problem ??= $"blob must be key=value, got '{pair}'"; continue; }
            if (pair!.Length > MaxTextLength || HasControl(pair)) { problem ??= "blob must be key=value of printable text"; continue; }
            labels.Add(KeyValuePair.Create(pair![..eq], pair[(eq + 1)..]));
        }
        var filter = new BucketFilter
        {
            From = Time("from"),
            To = Time("to"),
            Kernel = Text("kernel"),
            CpuVendor = vendor,
            CpuFamily = Int("cpu_family", 0, 255),
            CpuModel = Int("cpu_model", 0, 255),
            Hardware = Text("hardware"),
            Board = Text("board"),
            Bios = Text("bios"),
            Host = Text("host"),
            Labels = labels,
            Kind = Text("kind"),
            Search = Text("q"),
            Limit = Int("limit", 1, 10_000) ?? 100,
            Offset = Int("offset", 0, int.MaxValue) ?? 0,
        };
        error = problem;
        return filter;
    }
}
