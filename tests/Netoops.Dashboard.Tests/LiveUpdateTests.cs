using Netoops.Dashboard.Tests.Support;
using Netoops.Protocol.Packets;
using static Microsoft.Playwright.Assertions;

namespace Netoops.Dashboard.Tests;

/// <summary>New crashes reach an open page by polling; this test has a collector of its own so the shared fleet stays as described.</summary>
[Collection("dashboard")]
public sealed class LiveUpdateTests(DashboardFixture fleet) : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "netoops-dashboard-live-" + Guid.NewGuid().ToString("N")[..8]);
    private Netoops.Collector.Hosting.RunningCollector _collector = null!;

    public async Task InitializeAsync() => _collector = await DashboardFixture.StartCollectorAsync(_dir);

    [Fact]
    public async Task A_crash_arriving_while_the_buckets_page_is_open_appears_without_a_reload()
    {
        using var machine = new Machine("127.0.0.51", DashboardFixture.NewKernel, new X86Cpu(0, 6, 85, 4), "rack=a01");
        await machine.SendDumpAsync(_collector.NetoopsEndPoint, CrashLogs.Warn(machine.Address, DashboardFixture.NewKernel));
        await DashboardFixture.WaitForCrashesAsync(_collector, 1);
        await using var watched = await fleet.NewPageAsync();
        var page = watched.Page;
        await page.GotoAsync(_collector.HttpUri.ToString());
        await Expect(page.Locator("table.buckets tbody tr")).ToHaveCountAsync(1);
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        await machine.SendDumpAsync(_collector.NetoopsEndPoint, CrashLogs.NullDeref(machine.Address, DashboardFixture.NewKernel));

        await Expect(page.Locator("table.buckets tbody tr", new() { HasTextString = CrashLogs.NullDerefTitle }))
            .ToHaveCountAsync(1, new() { Timeout = 20_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was reloaded");
        Assert.Empty(watched.Problems);
    }

    [Fact]
    public async Task A_crash_arriving_while_its_bucket_page_is_open_joins_the_crash_list_without_a_reload()
    {
        using var machine = new Machine("127.0.0.52", DashboardFixture.OldKernel, new X86Cpu(0, 6, 85, 4), "rack=a02");
        await machine.SendDumpAsync(_collector.NetoopsEndPoint, CrashLogs.Gpf(machine.Address, DashboardFixture.OldKernel));
        await DashboardFixture.WaitForCrashesAsync(_collector, 1);
        await using var watched = await fleet.NewPageAsync();
        var page = watched.Page;
        await page.GotoAsync(_collector.HttpUri.ToString());
        await page.Locator("table.buckets a").First.ClickAsync();
        await Expect(page.Locator("table.crashes tbody tr")).ToHaveCountAsync(1);
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        await machine.SendDumpAsync(_collector.NetoopsEndPoint, CrashLogs.Gpf(machine.Address, DashboardFixture.OldKernel));

        await Expect(page.Locator("table.crashes tbody tr")).ToHaveCountAsync(2, new() { Timeout = 20_000 });
        await Expect(page.Locator("dl.stats")).ToContainTextAsync("2");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was reloaded");
        Assert.Empty(watched.Problems);
    }

    [Fact]
    public async Task An_empty_collector_says_no_crashes_are_stored_yet()
    {
        await using var watched = await fleet.NewPageAsync();
        await watched.Page.GotoAsync(_collector.HttpUri.ToString());
        await Expect(watched.Page.Locator("p.empty")).ToHaveTextAsync("No crashes stored yet. Crashes sent to this collector show up here by themselves.");
        Assert.Empty(watched.Problems);
    }

    public async Task DisposeAsync()
    {
        await _collector.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }
}
