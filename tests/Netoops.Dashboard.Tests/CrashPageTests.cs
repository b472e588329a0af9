using Netoops.Dashboard.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Netoops.Dashboard.Tests;

[Collection("dashboard")]
public sealed class CrashPageTests(DashboardFixture fleet)
{
    private async Task<(WatchedPage Watched, System.Text.Json.JsonElement Crash)> OpenNullDerefAsync(bool complete)
    {
        var bucket = await Api.BucketIdAsync(fleet.Url, "ext4_xattr_set_entry");
        var crash = (await Api.CrashesAsync(fleet.Url, bucket)).First(c => c.GetProperty("complete").GetBoolean() == complete);
        var watched = await fleet.NewPageAsync();
        await watched.Page.GotoAsync(new Uri(fleet.Url, $"/crashes/{crash.GetProperty("id").GetInt64()}").ToString());
        await Expect(watched.Page.Locator("h1.title")).ToContainTextAsync(CrashLogs.NullDerefTitle);
        return (watched, crash);
    }

    [Fact]
    public async Task A_crash_shows_its_title_machine_registers_and_report_with_the_oops_lines_marked()
    {
        var (watched, crash) = await OpenNullDerefAsync(complete: true);
        await using var _ = watched;
        var page = watched.Page;

        var facts = page.Locator("dl.facts");
        await Expect(facts).ToContainTextAsync(crash.GetProperty("host").GetString()!);
        await Expect(facts).ToContainTextAsync(DashboardFixture.OldKernel);
        await Expect(facts).ToContainTextAsync("Intel family 6 model 85 stepping 4");
        await Expect(facts).ToContainTextAsync("Dell Inc. PowerEdge R640");
        await Expect(facts.Locator("a.label")).ToHaveTextAsync(["rack=b12", "role=db"]);

        var ip = page.Locator("table.registers tr", new() { Has = page.Locator("td.reg", new() { HasTextString = "ip" }) }).First;
        await Expect(ip).ToContainTextAsync("0xffffffffc0a01011");
        await Expect(ip).ToContainTextAsync("module space");
        var flags = page.Locator("table.registers tr", new() { Has = page.Locator("td.reg", new() { HasTextString = "flags" }) });
        await Expect(flags).ToContainTextAsync("PF SF IF");
        var r12 = page.Locator("table.registers tr", new() { Has = page.Locator("td.reg", new() { HasTextString = "r12" }) });
        await Expect(r12).ToContainTextAsync("poison");

        var report = page.Locator("section.card pre.log").First;
        await Expect(report.Locator(".headline").First).ToContainTextAsync("BUG: kernel NULL pointer dereference");
        await Expect(report.Locator(".headline", new() { HasTextString = "Oops: 0000" })).ToHaveCountAsync(1);
        await Expect(report.Locator(".locator", new() { HasTextString = "RIP: 0010:ext4_xattr_set_entry" })).ToHaveCountAsync(1);
        await Expect(report.Locator(".line", new() { HasTextString = "ext4_xattr_ibody_set" })).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("headline|locator"));

        var log = page.Locator("details.fulllog pre.log");
        await Expect(log).ToContainTextAsync("boot line 0");
        await Expect(log.Locator(".in-report", new() { HasTextString = "Call Trace:" })).ToHaveCountAsync(1);
        await Expect(page.Locator(".status.complete")).ToContainTextAsync("complete");
        await Expect(page.Locator(".status.unsigned")).ToContainTextAsync("unsigned"); // sent without the fleet key

        await watched.ScreenshotAsync("crash");
        Assert.Empty(watched.Problems);
    }

    [Fact]
    public async Task A_partial_dump_says_partial_and_names_its_missing_packets_as_ranges()
    {
        var (watched, crash) = await OpenNullDerefAsync(complete: false);
        await using var _ = watched;
        var missing = crash.GetProperty("missing").EnumerateArray().Select(m => m.GetInt32()).ToList();
        Assert.NotEmpty(missing);
        var total = crash.GetProperty("packet_count").ValueKind == System.Text.Json.JsonValueKind.Number
            ? $" of {crash.GetProperty("packet_count").GetInt64()} packets" : " packets";

        await Expect(watched.Page.Locator(".status.partial"))
            .ToHaveTextAsync($"partial · missing {missing.Count}{total}: {missing.Min()}–{missing.Max()}");
        // Newest-first slicing: the two packets that arrived hold the oops.
        await Expect(watched.Page.Locator("pre.log .headline").First).ToContainTextAsync("BUG: kernel NULL pointer dereference");
        Assert.Empty(watched.Problems);
    }

    [Fact]
    public async Task An_unknown_crash_says_there_is_no_such_crash()
    {
        await using var watched = await fleet.NewPageAsync();
        await watched.Page.GotoAsync(new Uri(fleet.Url, "/crashes/987654").ToString());
        await Expect(watched.Page.Locator(".problem")).ToHaveTextAsync("There is no crash 987654.");
    }
}
