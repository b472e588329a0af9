using System.Text.RegularExpressions;
using Netoops.Dashboard.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Netoops.Dashboard.Tests;

[Collection("dashboard")]
public sealed partial class BucketPageTests(DashboardFixture fleet)
{
    [GeneratedRegex(@"/buckets/\d+$")] private static partial Regex BucketPath();
    [GeneratedRegex(@"/crashes/\d+$")] private static partial Regex CrashPath();

    [Fact]
    public async Task A_bucket_link_leads_to_its_trend_breakdown_charts_and_crash_list()
    {
        await using var watched = await fleet.NewPageAsync();
        var page = watched.Page;
        await page.GotoAsync(fleet.Url.ToString());

        await page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = CrashLogs.NullDerefTitle }).ClickAsync();

        await Expect(page).ToHaveURLAsync(BucketPath());
        await Expect(page.Locator("h1.title")).ToContainTextAsync(CrashLogs.NullDerefTitle);
        await Expect(page.Locator("svg.trend rect.bar")).Not.ToHaveCountAsync(0);
        await Expect(page.Locator("svg.bars")).ToHaveCountAsync(5);
        var hosts = page.Locator("section.card", new() { Has = page.Locator("h3", new() { HasTextString = "Host" }) });
        await Expect(hosts.Locator("h3")).ToContainTextAsync("6 distinct");
        await Expect(hosts.Locator("text.bar-label")).ToHaveCountAsync(6);
        var kernels = page.Locator("section.card", new() { Has = page.Locator("h3", new() { HasTextString = "Kernel" }) });
        await Expect(kernels.Locator("text.bar-label")).ToHaveTextAsync([DashboardFixture.OldKernel]);
        var bios = page.Locator("section.card", new() { Has = page.Locator("h3", new() { HasTextString = "BIOS" }) });
        await Expect(bios.Locator("text.bar-label")).ToHaveTextAsync(["2.17.1 05/22/2024"]);
        await Expect(page.Locator("table.crashes tbody tr")).ToHaveCountAsync(6);
        await Expect(page.Locator("table.crashes .status.partial")).ToHaveCountAsync(1);

        await watched.ScreenshotAsync("bucket");
        Assert.Empty(watched.Problems);
    }

    [Fact]
    public async Task A_crash_link_on_the_bucket_page_opens_that_crash()
    {
        await using var watched = await fleet.NewPageAsync();
        var page = watched.Page;
        await page.GotoAsync(fleet.Url.ToString());
        await page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = CrashLogs.WarnTitle }).ClickAsync();
        await Expect(page).ToHaveURLAsync(BucketPath());
        var firstCrash = page.Locator("table.crashes tbody tr").First;
        var id = await firstCrash.GetAttributeAsync("data-crash");
        var host = await firstCrash.Locator("td").Nth(2).InnerTextAsync();

        await firstCrash.Locator("a").ClickAsync();

        await Expect(page).ToHaveURLAsync(CrashPath());
        Assert.EndsWith($"/crashes/{id}", page.Url);
        await Expect(page.Locator("h1.title")).ToContainTextAsync(CrashLogs.WarnTitle);
        await Expect(page.Locator("p.crumbs")).ToContainTextAsync($"crash #{id}");
        await Expect(page.Locator("dl.facts")).ToContainTextAsync(host);

        await page.Locator("p.crumbs a", new() { HasTextString = CrashLogs.WarnTitle }).ClickAsync();
        await Expect(page).ToHaveURLAsync(BucketPath());
        Assert.Empty(watched.Problems);
    }

    [Fact]
    public async Task An_unknown_bucket_says_there_is_no_such_bucket()
    {
        await using var watched = await fleet.NewPageAsync();
        await watched.Page.GotoAsync(new Uri(fleet.Url, "/buckets/987654").ToString());
        await Expect(watched.Page.Locator(".problem")).ToHaveTextAsync("There is no bucket 987654.");
    }
}
