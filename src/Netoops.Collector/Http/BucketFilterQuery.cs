using System.Globalization;
using Microsoft.AspNetCore.Http;
using Netoops.Collector.Storage;

namespace Netoops.Collector.Http;

/// <summary>
/// Reads a <see cref="BucketFilter"/> from a query string. Names: from, to (ISO 8601 or unix
/// milliseconds), kernel, cpu_vendor (name or code), cpu_family, cpu_model, hardware, board, bios,
/// host, blob (key=value, repeatable), kind, q (title search), limit, offset.
/// A bad value is an error naming the parameter, never silently ignored.
/// </summary>
public static class BucketFilterQuery
{
    public static BucketFilter Parse(IQueryCollection query, out string? error)
    {
        error = null;
        string? problem = null;
        string? Text(string name) => query[name].LastOrDefault() is { Length: > 0 } v ? v : null;
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
            if (long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)) return DateTimeOffset.FromUnixTimeMilliseconds(ms);
            if (DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return t;
            problem ??= $"{name} must be an ISO 8601 time or unix milliseconds, got '{v}'";
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
