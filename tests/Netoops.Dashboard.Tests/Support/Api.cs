using System.Net.Http.Json;
using System.Text.Json;

namespace Netoops.Dashboard.Tests.Support;

/// <summary>Reads the collector's JSON API, to find the ids the pages should link to.</summary>
internal static class Api
{
    public static async Task<JsonElement> GetAsync(Uri baseUrl, string path)
    {
        using var http = new HttpClient { BaseAddress = baseUrl };
        return await http.GetFromJsonAsync<JsonElement>(path);
    }

    public static async Task<long> BucketIdAsync(Uri baseUrl, string titleContains) =>
        (await GetAsync(baseUrl, "/api/buckets?q=" + Uri.EscapeDataString(titleContains))).GetProperty("buckets")[0].GetProperty("id").GetInt64();

    /// <summary>The crashes of a bucket, each read in full.</summary>
    public static async Task<List<JsonElement>> CrashesAsync(Uri baseUrl, long bucketId)
    {
        var ids = (await GetAsync(baseUrl, $"/api/crashes?bucket={bucketId}")).GetProperty("crash_ids");
        var crashes = new List<JsonElement>();
        foreach (var id in ids.EnumerateArray()) crashes.Add(await GetAsync(baseUrl, $"/api/crashes/{id.GetInt64()}"));
        return crashes;
    }
}
