using System.Reflection;
using System.Security.Cryptography;

namespace Netoops.Collector.Dashboard;

/// <summary>One file of the dashboard as served: bytes, content type and a strong ETag.</summary>
public sealed record DashboardAsset(string Name, byte[] Content, string ContentType, string ETag);

/// <summary>
/// The dashboard's pages, script, style and icon, embedded in this assembly (no build step, no
/// files to deploy) and read once at start-up.
/// </summary>
public sealed class DashboardAssets
{
    private const string Prefix = "dashboard/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    private readonly Dictionary<string, DashboardAsset> _assets;

    private DashboardAssets(Dictionary<string, DashboardAsset> assets) => _assets = assets;

    public IEnumerable<string> Names => _assets.Keys;

    public static DashboardAssets Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var assets = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var name = resource[Prefix.Length..];
            var content = Read(assembly, resource);
            var type = ContentTypes.GetValueOrDefault(Path.GetExtension(name), "application/octet-stream");
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..16] + "\"";
            assets[name] = new DashboardAsset(name, content, type, etag);
        }
        return new DashboardAssets(assets);
    }

    /// <summary>The asset of that exact name; anything else (paths, dots, unknown names) is null.</summary>
    public DashboardAsset? Find(string name) => _assets.GetValueOrDefault(name);

    private static byte[] Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
