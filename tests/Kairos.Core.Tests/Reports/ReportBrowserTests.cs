using Kairos.Progress;
using Kairos.Replay;
using Kairos.Tests.Replay;

namespace Kairos.Tests.Reports;

/// <summary>Opens the HTML reports in headless Chromium: the page loads, every image renders, nothing errs, nothing is fetched.</summary>
public class ReportBrowserTests(ReportBrowserTests.Browser browser) : IClassFixture<ReportBrowserTests.Browser>
{
    public sealed class Browser : IAsyncLifetime
    {
        public HeadlessChromium Chromium { get; private set; } = null!;

        public async Task InitializeAsync() => Chromium = await HeadlessChromium.StartAsync();

        public async Task DisposeAsync() => await Chromium.DisposeAsync();
    }

    [Fact]
    public async Task Open_ReplayComparisonReport_LoadsWithEveryImageAndNoErrors()
    {
        var bars = TestBars.RandomWalk(3000, 21);
        var a = new ScriptedPredictor("baseline", (i, _) => ScriptedPredictor.Eligible(0.5 + 0.1 * Math.Sin(i * 0.05), session: i / 72 % 4, trend: i / 50 % 3, vol: i / 90 % 4));
        var b = new ScriptedPredictor("candidate", (i, _) => ScriptedPredictor.Eligible(0.45 + 0.05 * (i / 72 % 4) + 0.05 * Math.Sin(i * 0.07), session: i / 72 % 4, trend: i / 50 % 3, vol: i / 90 % 4));
        var reports = new ReplayEngine(new ReplayOptions { Permutations = 199 }, TimeProvider.System)
            .Run(bars, [a, b], ReplayWindow.All, NullProgressSink.Instance);
        var comparison = ReplayComparison.Create(reports[0], reports[1]);
        var page = ReplayHtml.Comparison(comparison);
        var path = Path.Combine(TestData.TempDirectory(), "comparison.html");
        page.Save(path);

        var check = await browser.Chromium.OpenAsync(path);

        Assert.Equal(page.Title, check.Title);
        Assert.Equal(page.ImageCount, check.Images.Count);
        Assert.True(check.Images.Count >= 3, $"{check.Images.Count} images");
        Assert.All(check.Images, image =>
        {
            Assert.True(image.Complete && image.Decoded, $"image '{image.Alt}' did not load");
            Assert.True(image.NaturalWidth > 0 && image.NaturalHeight > 0, $"image '{image.Alt}' is {image.NaturalWidth} x {image.NaturalHeight}");
        });
        Assert.Empty(check.ConsoleErrors);
        Assert.Empty(check.ExternalRequests);
    }

    [Fact]
    public async Task Open_ReplayReport_LoadsWithEveryImageAndNoErrors()
    {
        var bars = TestBars.RandomWalk(1500, 4);
        var model = new ScriptedPredictor("one", (i, _) => ScriptedPredictor.Eligible(0.5 + 0.12 * Math.Sin(i * 0.03), session: i / 72 % 4));
        var report = new ReplayEngine(new ReplayOptions { Permutations = 199 }, TimeProvider.System)
            .Run(bars, [model], ReplayWindow.All, NullProgressSink.Instance)[0];
        var page = ReplayHtml.Replay(report);
        var path = Path.Combine(TestData.TempDirectory(), "replay.html");
        page.Save(path);

        var check = await browser.Chromium.OpenAsync(path);

        Assert.Equal(3, check.Images.Count);
        Assert.All(check.Images, image => Assert.True(image.NaturalWidth > 0, $"image '{image.Alt}' did not render"));
        Assert.Empty(check.ConsoleErrors);
        Assert.Empty(check.ExternalRequests);
    }

    [Fact]
    public async Task Open_BrokenPage_ReportsTheBrokenImageTheErrorAndTheRequest()
    {
        var path = Path.Combine(TestData.TempDirectory(), "broken.html");
        await File.WriteAllTextAsync(path, """
            <!DOCTYPE html><html><head><title>broken</title></head><body>
            <img alt="truncated" src="data:image/png;base64,iVBORw0KGgo=">
            <img alt="remote" src="http://127.0.0.1:9/missing.png">
            <script>console.error("boom");</script>
            </body></html>
            """);

        var check = await browser.Chromium.OpenAsync(path);

        Assert.Equal("broken", check.Title);
        Assert.Equal(0, check.Images.Single(i => i.Alt == "truncated").NaturalWidth);
        Assert.False(check.Images.Single(i => i.Alt == "truncated").Decoded);
        Assert.Contains(check.ConsoleErrors, e => e.Contains("boom", StringComparison.Ordinal));
        Assert.Contains("http://127.0.0.1:9/missing.png", check.ExternalRequests);
    }
}
