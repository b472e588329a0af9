using Microsoft.Playwright;
using Netoops.Dashboard.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Netoops.Dashboard.Tests;

[Collection("dashboard")]
public sealed class BucketsPageTests(DashboardFixture fleet)
{
    private static ILocator Rows(IPage page) => page.Locator("table.buckets tbody tr");

    private async Task<WatchedPage> OpenAsync(string path = "/")
    {
        var watched = await fleet.NewPageAsync();
        await watched.Page.GotoAsync(new Uri(fleet.Url, path).ToString());
        await Expect(watched.Page.Locator("#live")).ToHaveClassAsync("live ok");
        return watched;
    }

    [Fact]
    public async Task Buckets_are_ranked_by_count_with_a_sparkline_each_and_the_rare_ones_folded_into_the_long_tail()
    {
        await using var watched = await OpenAsync();
        var page = watched.Page;

        var head = page.Locator("#results > table.buckets tbody tr");
        await Expect(head).ToHaveCountAsync(2);
        await Expect(head.Nth(0)).ToContainTextAsync(CrashLogs.NullDerefTitle);
        await Expect(head.Nth(0).Locator("td.num strong")).ToHaveTextAsync("6");
        await Expect(head.Nth(1)).ToContainTextAsync(CrashLogs.WarnTitle);
        await Expect(head.Nth(1).Locator("td.num strong")).ToHaveTextAsync("3");
        await Expect(head.Locator("svg.spark")).ToHaveCountAsync(2);

        var tail = page.Locator("details.tail");
        await Expect(tail.Locator("summary")).ToContainTextAsync("Long tail: 2 rare buckets with ≤ 1 crash each");
        await Expect(tail).Not.ToHaveAttributeAsync("open", "");
        await Expect(tail.Locator("tbody tr").First).ToBeHiddenAsync();
        await Expect(page.Locator("p.summary")).ToContainTextAsync("11 crashes in 4 buckets");

        await watched.ScreenshotAsync("buckets");
        Assert.Empty(watched.Problems);
    }

    [Fact]
    public async Task Choosing_a_kernel_narrows_the_list_to_buckets_seen_on_that_kernel()
    {
        await using var watched = await OpenAsync();
        await Expect(Rows(watched.Page)).ToHaveCountAsync(4);

        await watched.Page.SelectOptionAsync("#f-kernel", DashboardFixture.NewKernel);

        await Expect(Rows(watched.Page)).ToHaveCountAsync(3);
        await Expect(watched.Page.Locator("#results")).Not.ToContainTextAsync(CrashLogs.NullDerefTitle);
        Assert.Contains("kernel=" + Uri.EscapeDataString(DashboardFixture.NewKernel), watched.Page.Url);
        Assert.Empty(watched.Problems);
    }

    [Fact]
    public async Task A_recent_time_range_keeps_the_fleets_recent_crashes_and_spans_the_sparklines_over_it()
    {
        await using var watched = await OpenAsync();

        await watched.Page.SelectOptionAsync("#f-range", "1h");

        await Expect(watched.Page.Locator("p.summary")).ToContainTextAsync("sparklines span the last 1h");
        await Expect(watched.Page.Locator("p.summary")).ToContainTextAsync("11 crashes in 4 buckets");
        Assert.Contains("range=1h", watched.Page.Url);
        Assert.Empty(watched.Problems);
    }

    [Fact]
    public async Task Choosing_a_cpu_narrows_the_list_to_crashes_on_that_cpu()
    {
        await using var watched = await OpenAsync();

        await watched.Page.SelectOptionAsync("#f-cpu", "2:25:1");

        await Expect(Rows(watched.Page)).ToHaveCountAsync(2);
        await Expect(watched.Page.Locator("#results")).ToContainTextAsync(CrashLogs.WarnTitle);
        await Expect(watched.Page.Locator("#results")).Not.ToContainTextAsync(CrashLogs.NullDerefTitle);
    }

    [Fact]
    public async Task Typing_a_user_blob_label_keeps_only_buckets_with_crashes_carrying_it()
    {
        await using var watched = await OpenAsync();

        await watched.Page.FillAsync("#f-blob", "rack=b12");

        await Expect(Rows(watched.Page)).ToHaveCountAsync(1);
        await Expect(Rows(watched.Page).First).ToContainTextAsync(CrashLogs.NullDerefTitle);
        await Expect(Rows(watched.Page).First.Locator("td.num strong")).ToHaveTextAsync("6");
    }

    [Fact]
    public async Task Searching_titles_keeps_only_matching_buckets()
    {
        await using var watched = await OpenAsync();

        await watched.Page.FillAsync("#f-q", "provoke_warn");

        await Expect(Rows(watched.Page)).ToHaveCountAsync(1);
        await Expect(Rows(watched.Page).First).ToContainTextAsync(CrashLogs.WarnTitle);
    }

    [Fact]
    public async Task Hardware_and_host_filters_in_the_address_narrow_the_list_when_the_page_opens()
    {
        await using (var byHardware = await OpenAsync("/?hardware=poweredge"))
        {
            await Expect(Rows(byHardware.Page)).ToHaveCountAsync(1);
            await Expect(Rows(byHardware.Page).First).ToContainTextAsync(CrashLogs.NullDerefTitle);
            await Expect(byHardware.Page.Locator("#f-hardware")).ToHaveValueAsync("poweredge");
        }
        await using var byHost = await OpenAsync("/?host=127.0.0.22");
        await Expect(Rows(byHost.Page)).ToHaveCountAsync(1);
        await Expect(Rows(byHost.Page).First).ToContainTextAsync(CrashLogs.WarnTitle);
        await Expect(byHost.Page.Locator("#f-host")).ToHaveValueAsync("127.0.0.22");
    }

    [Fact]
    public async Task A_filter_the_api_refuses_is_explained_where_the_list_would_be()
    {
        var watched = await fleet.NewPageAsync();
        await using var _ = watched;
        await watched.Page.GotoAsync(new Uri(fleet.Url, "/?blob=rack").ToString());

        await Expect(watched.Page.Locator("#results .problem")).ToHaveTextAsync("blob must be key=value, got 'rack'");
        await Expect(watched.Page.Locator("#live")).ToHaveClassAsync("live failed");

        await watched.Page.FillAsync("#f-blob", "rack=c01");
        await Expect(Rows(watched.Page)).ToHaveCountAsync(2);
        await Expect(watched.Page.Locator("#live")).ToHaveClassAsync("live ok");
    }

    [Fact]
    public async Task Filters_that_match_nothing_say_so()
    {
        await using var watched = await OpenAsync("/?q=no-such-function-anywhere");
        await Expect(watched.Page.Locator("p.empty")).ToHaveTextAsync("No crash matches these filters.");
        await Expect(Rows(watched.Page)).ToHaveCountAsync(0);
    }
}
