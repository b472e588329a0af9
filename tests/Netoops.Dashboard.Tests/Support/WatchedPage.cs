using Microsoft.Playwright;

namespace Netoops.Dashboard.Tests.Support;

/// <summary>A browser page plus what went wrong on it: uncaught script errors, console errors, dialogs opened.</summary>
public sealed class WatchedPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    public WatchedPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.PageError += (_, error) => Problems.Add("page error: " + error);
        page.Console += (_, message) => { if (message.Type == "error") Problems.Add("console error: " + message.Text); };
        page.Dialog += async (_, dialog) =>
        {
            Problems.Add($"dialog: {dialog.Type} {dialog.Message}");
            await dialog.DismissAsync();
        };
    }

    public IPage Page { get; }
    public List<string> Problems { get; } = [];

    /// <summary>Saves a 1280×800 screenshot of the viewport under the test output and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(DashboardFixture.ScreenshotDirectory, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        return path;
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
