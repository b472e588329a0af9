using Microsoft.Playwright;
using Netoops.Dashboard.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Netoops.Dashboard.Tests;

/// <summary>Crash text comes from the network: markup in it must show as text and never run.</summary>
[Collection("dashboard")]
public sealed class HostileCrashTests(DashboardFixture fleet)
{
    // The analyser turns numbers in titles into NUM, so the title keeps the markup but not the digit.
    private const string TitleMarkup = "drivers/misc/<script>x.c:LINE <img/src=x/onerror=window.__pwned=NUM>";

    private static async Task AssertNothingRanAsync(WatchedPage watched)
    {
        var page = watched.Page;
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"), "hostile crash text ran as script");
        await Expect(page.Locator("img:not(.brand img)")).ToHaveCountAsync(0);
        await Expect(page.Locator("iframe, object, embed, svg[onload], [onerror]")).ToHaveCountAsync(0);
        await Expect(page.Locator("script")).ToHaveCountAsync(3);
        Assert.Empty(watched.Problems);
    }

    [Fact]
    public async Task Markup_in_a_crash_shows_as_text_on_every_page_and_none_of_it_runs()
    {
        await using var watched = await fleet.NewPageAsync();
        var page = watched.Page;

        await page.GotoAsync(fleet.Url.ToString());
        await page.Locator("details.tail summary").ClickAsync();
        var link = page.Locator("details.tail a", new() { HasTextString = TitleMarkup });
        await Expect(link).ToBeVisibleAsync();
        await AssertNothingRanAsync(watched);

        await link.ClickAsync();
        await Expect(page.Locator("h1.title")).ToContainTextAsync(TitleMarkup);
        await Expect(page.Locator("svg.bars").First).ToBeVisibleAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("<img src=x onerror=window.__pwned=3>");
        await AssertNothingRanAsync(watched);

        await page.Locator("table.crashes tbody a").First.ClickAsync();
        await Expect(page.Locator("h1.title")).ToContainTextAsync(TitleMarkup);
        await Expect(page.Locator("details.fulllog pre.log")).ToContainTextAsync("<script>window.__pwned=1</script>");
        await Expect(page.Locator("details.fulllog pre.log")).ToContainTextAsync("<iframe src=javascript:window.__pwned=8>");
        await Expect(page.Locator("dl.facts")).ToContainTextAsync("rack=<img/src=x/onerror=window.__pwned=5>");
        await AssertNothingRanAsync(watched);
        Assert.Contains(TitleMarkup, await page.Locator("h1.title").EvaluateAsync<string>("h => h.textContent"));
        await watched.ScreenshotAsync("crash-hostile");
    }

    [Fact]
    public async Task Markup_typed_into_a_filter_is_sent_as_a_value_and_shown_as_text()
    {
        await using var watched = await fleet.NewPageAsync();
        await watched.Page.GotoAsync(new Uri(fleet.Url, "/?q=" + Uri.EscapeDataString("\"><script>window.__pwned=9</script>")).ToString());
        await Expect(watched.Page.Locator("p.empty")).ToHaveTextAsync("No crash matches these filters.");
        await Expect(watched.Page.Locator("#f-q")).ToHaveValueAsync("\"><script>window.__pwned=9</script>");
        await AssertNothingRanAsync(watched);
    }
}
