using System.Net;
using System.Text.Json;
using Netoops.Collector.Dashboard;
using Netoops.Dashboard.Tests.Support;

namespace Netoops.Dashboard.Tests;

/// <summary>What the dashboard's HTTP answers promise, checked without a browser.</summary>
[Collection("dashboard")]
public sealed class HttpTests(DashboardFixture fleet)
{
    private HttpClient Http() => new() { BaseAddress = fleet.Url };

    [Theory]
    [InlineData("/")]
    [InlineData("/buckets/1")]
    [InlineData("/crashes/1")]
    [InlineData("/static/common.js")]
    [InlineData("/api/buckets")]
    public async Task Every_answer_carries_a_strict_content_security_policy_and_nosniff(string path)
    {
        using var http = Http();
        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(DashboardEndpoints.ContentSecurityPolicy, csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Theory]
    [InlineData("POST", "/")]
    [InlineData("POST", "/api/buckets")]
    [InlineData("DELETE", "/api/crashes/1")]
    [InlineData("PUT", "/buckets/1")]
    public async Task The_dashboard_is_read_only(string method, string path)
    {
        using var http = Http();
        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("") });
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Theory]
    [InlineData("/static/buckets.html")]
    [InlineData("/static/..%2Fbuckets.html")]
    [InlineData("/static/nothing.js")]
    [InlineData("/buckets/abc")]
    public async Task Only_the_dashboards_own_files_are_served(string path)
    {
        using var http = Http();
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_static_file_unchanged_since_the_last_visit_is_not_sent_again()
    {
        using var http = Http();
        using var first = await http.GetAsync("/static/dashboard.css");
        Assert.Equal("text/css; charset=utf-8", first.Content.Headers.ContentType!.ToString());
        var etag = first.Headers.ETag!;

        using var again = new HttpRequestMessage(HttpMethod.Get, "/static/dashboard.css");
        again.Headers.IfNoneMatch.Add(etag);
        using var second = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Theory]
    [InlineData("/api/trends", "ids must name at least one bucket")]
    [InlineData("/api/trends?ids=1,x", "ids must be bucket ids separated by commas, got 'x'")]
    [InlineData("/api/trends?ids=1&points=0", "points must be a whole number from 1 to 500, got '0'")]
    [InlineData("/api/trends?ids=1&from=2026-01-02&to=2026-01-01", "from must be before to")]
    [InlineData("/api/trends?ids=1&from=yesterday", "from must be an ISO 8601 time or unix milliseconds, got 'yesterday'")]
    public async Task A_bad_trend_query_is_refused_with_a_reason(string path, string reason)
    {
        using var http = Http();
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(reason, body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Trends_give_each_asked_bucket_its_counts_per_slot()
    {
        var bucket = await Api.BucketIdAsync(fleet.Url, "ext4_xattr_set_entry");
        var to = DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds();
        var from = to - 3_600_000;

        var body = await Api.GetAsync(fleet.Url, $"/api/trends?ids={bucket}&from={from}&to={to}&points=12");

        Assert.Equal(300, body.GetProperty("step_seconds").GetInt64());
        var trend = Assert.Single(body.GetProperty("trends").EnumerateArray());
        Assert.Equal(bucket, trend.GetProperty("bucket_id").GetInt64());
        var counts = trend.GetProperty("counts").EnumerateArray().Select(c => c.GetInt64()).ToList();
        Assert.Equal(12, counts.Count);
        Assert.Equal(6, counts.Sum());
    }

    [Fact]
    public async Task Facets_list_the_fleets_kernels_hosts_and_labels()
    {
        var facets = await Api.GetAsync(fleet.Url, "/api/facets");
        var kernels = facets.GetProperty("kernels").EnumerateArray().Select(k => k.GetProperty("value").GetString()).ToList();
        Assert.Equal([DashboardFixture.OldKernel, DashboardFixture.NewKernel], kernels.Order().ToList());
        Assert.Equal(11, facets.GetProperty("hosts").GetArrayLength());
        Assert.Contains(facets.GetProperty("labels").EnumerateArray(), l => l.GetProperty("value").GetString() == "rack=b12" && l.GetProperty("count").GetInt64() == 6);
    }
}
