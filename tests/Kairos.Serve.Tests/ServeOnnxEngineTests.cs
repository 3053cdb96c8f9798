using System.Globalization;
using System.Text.Json.Nodes;
using Kairos.Tests.Bundles;
using Xunit.Abstractions;

namespace Kairos.Serve.Tests;

/// <summary>
/// <c>kairos serve --engine onnx</c> (issue 21): the hybrid model in ONNX Runtime, from a <c>kairos bundle export</c>
/// directory or exported in memory, answers the EURUSD 2025 test period with the managed engine's decisions and
/// probabilities (within 1e-5), both as real processes over loopback HTTP (and <c>--engine libtorch</c> on the first 1,500
/// bars); a TFT bundle's <c>tft.onnx</c> and an LSTM bundle's <c>lstm.onnx</c> answer as the model on libtorch; an export of another bundle is refused at start.
/// </summary>
public class ServeOnnxEngineTests(ITestOutputHelper output)
{
    // The seeded (untrained) hybrid stays near 0.5: thresholds of 0.5 give entries to compare.
    private static readonly string[] Hybrid = ["--p-long", "hybrid", "--long-threshold", "0.5", "--short-threshold", "0.5"];
    private static readonly Dictionary<string, Lazy<string>> Exports = [];
    private static readonly Lazy<Kairos.Tests.Tft.TftBundleFixture> Tft = new(() => new Kairos.Tests.Tft.TftBundleFixture());
    private static readonly Lazy<Kairos.Tests.Lstm.LstmBundleFixture> Lstm = new(() => new Kairos.Tests.Lstm.LstmBundleFixture());

    [Fact]
    public async Task Http_TestPeriod_OnnxEngineGivesTheManagedEnginesDecisionsAndProbabilities()
    {
        var f = ServeFixture.Instance;
        using var managed = ServeProcess.Start(["--bundle", f.BundleA, "--warmup", f.WarmupSnapshot, .. Hybrid]);
        using var onnx = ServeProcess.Start(["--bundle", f.BundleA, "--warmup", f.WarmupSnapshot, .. Hybrid, "--engine", "onnx", "--onnx", Export(f.BundleA)]);
        using var inMemory = ServeProcess.Start(["--bundle", f.BundleA, "--warmup", f.WarmupSnapshot, .. Hybrid, "--engine", "onnx"]);
        using var libtorch = ServeProcess.Start(["--bundle", f.BundleA, "--warmup", f.WarmupSnapshot, .. Hybrid, "--engine", "libtorch"]);
        foreach (var (serve, engine) in new[] { (managed, "managed"), (onnx, "onnx"), (inMemory, "onnx"), (libtorch, "libtorch") })
        {
            await Wait.Ready(serve);
            Assert.Equal(engine, (string?)(await serve.Status())["hybrid_engine"]);
        }

        var expected = await managed.PostBatches(f.Bars, 50);
        var fromExport = await onnx.PostBatches(f.Bars, 50);
        // The in-memory export: a shorter stretch, one bar per request (the live path).
        var firstBars = f.Bars.Take(1500).ToArray();
        var fromMemory = await inMemory.PostEach(firstBars);
        var fromLibtorch = await libtorch.PostEach(firstBars);

        var (scored, entries, maxDiff) = SameDecisions(expected, fromExport);
        Assert.True(scored > f.Bars.Count / 10, $"only {scored} of {f.Bars.Count} bars scored");
        Assert.True(entries > 0, "no entry in the test period");
        SameDecisions(expected.Take(firstBars.Length).ToList(), fromMemory);
        SameDecisions(expected.Take(firstBars.Length).ToList(), fromLibtorch);
        Assert.True(maxDiff <= 1e-5, $"max |p_long difference| {maxDiff}");
        output.WriteLine($"{f.Bars.Count} bars, {scored} scored, {entries} entries, max |p_long managed - onnx| {maxDiff:E2}");
        Assert.Contains("\"Engine\":\"onnx\"", onnx.StandardError); // the load log names the engine
    }

    [Fact]
    public async Task Http_TestPeriod_TftBundleOnOnnxGivesTheLibtorchEnginesDecisionsAndProbabilities()
    {
        // A TFT bundle: its tft.onnx (from the export, and exported in memory) against the TFT's own libtorch forward, the
        // trees in ONNX Runtime against LightGBM, every bar of the test period.
        var f = ServeFixture.Instance;
        var tft = Tft.Value;
        Assert.True(tft.Build.ExitCode == 0, tft.Train.StandardError + tft.Build.StandardError);
        var bundle = tft.Directory!;
        using var libtorch = ServeProcess.Start(["--bundle", bundle, "--warmup", f.WarmupSnapshot, .. Hybrid, "--engine", "libtorch"]);
        using var onnx = ServeProcess.Start(["--bundle", bundle, "--warmup", f.WarmupSnapshot, .. Hybrid, "--engine", "onnx", "--onnx", Export(bundle)]);
        using var inMemory = ServeProcess.Start(["--bundle", bundle, "--warmup", f.WarmupSnapshot, .. Hybrid, "--engine", "onnx"]);
        foreach (var (serve, engine, trees) in new[] { (libtorch, "libtorch", "lightgbm"), (onnx, "onnx", "onnx"), (inMemory, "onnx", "onnx") })
        {
            await Wait.Ready(serve);
            var status = await serve.Status();
            Assert.Equal((engine, trees), ((string?)status["hybrid_engine"], (string?)status["trees_engine"]));
        }

        var expected = await libtorch.PostBatches(f.Bars, 50);
        var fromExport = await onnx.PostBatches(f.Bars, 50);
        var firstBars = f.Bars.Take(1500).ToArray();
        var fromMemory = await inMemory.PostEach(firstBars);

        var (scored, entries, maxDiff) = SameDecisions(expected, fromExport);
        Assert.True(scored > f.Bars.Count / 10, $"only {scored} of {f.Bars.Count} bars scored");
        Assert.True(entries > 0, "no entry in the test period");
        var (_, _, memoryDiff) = SameDecisions(expected.Take(firstBars.Length).ToList(), fromMemory);
        output.WriteLine($"TFT: {f.Bars.Count} bars, {scored} scored, {entries} entries, max |p_long libtorch - onnx| {maxDiff:E2} (export), {memoryDiff:E2} (in memory)");
    }

    [Fact]
    public async Task Http_TestPeriod_LstmBundleOnOnnxGivesTheLibtorchEnginesDecisionsAndProbabilities()
    {
        // An LSTM bundle: its lstm.onnx (from the export) against the classifier's own libtorch forward, every bar of the test period.
        var f = ServeFixture.Instance;
        var lstm = Lstm.Value;
        Assert.True(lstm.Build.ExitCode == 0, lstm.Train.StandardError + lstm.Build.StandardError);
        var bundle = lstm.Directory!;
        using var libtorch = ServeProcess.Start(["--bundle", bundle, "--warmup", f.WarmupSnapshot, .. Hybrid, "--engine", "libtorch"]);
        using var onnx = ServeProcess.Start(["--bundle", bundle, "--warmup", f.WarmupSnapshot, .. Hybrid, "--engine", "onnx", "--onnx", Export(bundle)]);
        foreach (var (serve, engine, trees) in new[] { (libtorch, "libtorch", "lightgbm"), (onnx, "onnx", "onnx") })
        {
            await Wait.Ready(serve);
            var status = await serve.Status();
            Assert.Equal((engine, trees), ((string?)status["hybrid_engine"], (string?)status["trees_engine"]));
        }

        var expected = await libtorch.PostBatches(f.Bars, 50);
        var fromExport = await onnx.PostBatches(f.Bars, 50);

        var (scored, entries, maxDiff) = SameDecisions(expected, fromExport);
        Assert.True(scored > f.Bars.Count / 10, $"only {scored} of {f.Bars.Count} bars scored");
        Assert.True(entries > 0, "no entry in the test period");
        Assert.True(maxDiff <= 1e-5, $"max |p_long difference| {maxDiff}");
        output.WriteLine($"LSTM: {f.Bars.Count} bars, {scored} scored, {entries} entries, max |p_long libtorch - onnx| {maxDiff:E2}");
    }

    [Fact]
    public void Start_OnnxExportOfAnotherBundle_Exit3NamingBothBundles()
    {
        var f = ServeFixture.Instance;
        using var serve = ServeProcess.StartToExit(["--bundle", f.BundleA, .. Hybrid, "--engine", "onnx", "--onnx", Export(f.BundleB)]);

        Assert.True(serve.Process.ExitCode == 3, serve.StandardError);
        Assert.Contains(Expect.BundleId(f.BundleB), serve.StandardError);
        Assert.Contains(Expect.BundleId(f.BundleA), serve.StandardError);
        Assert.DoesNotContain("listening on", serve.StandardError);
    }

    [Fact]
    public async Task Http_TestPeriod_TreesInOnnxRuntimeGiveLightGbmsCalibratedProbabilities()
    {
        // --p-long trees: p_long is the trees' p_cal, so this compares the trees_*.onnx graphs (ensembles, per-session
        // calibrators) with LightGBM and Kairos's calibrators on every bar of the test period.
        var f = ServeFixture.Instance;
        string[] trees = ["--p-long", "trees", "--long-threshold", "0.5", "--short-threshold", "0.5"];
        using var lightgbm = ServeProcess.Start(["--bundle", f.BundleA, "--warmup", f.WarmupSnapshot, .. trees]);
        using var onnx = ServeProcess.Start(["--bundle", f.BundleA, "--warmup", f.WarmupSnapshot, .. trees, "--engine", "onnx", "--onnx", Export(f.BundleA)]);
        await Wait.Ready(lightgbm);
        await Wait.Ready(onnx);
        Assert.Equal("lightgbm", (string?)(await lightgbm.Status())["trees_engine"]);
        Assert.Equal("onnx", (string?)(await onnx.Status())["trees_engine"]);

        var expected = await lightgbm.PostBatches(f.Bars, 50);
        var actual = await onnx.PostBatches(f.Bars, 50);

        var (scored, entries, maxDiff) = SameDecisions(expected, actual);
        Assert.True(scored > f.Bars.Count / 10, $"only {scored} of {f.Bars.Count} bars scored");
        Assert.True(entries > 0, "no entry in the test period");
        Assert.True(maxDiff <= 1e-9, $"max |p_cal LightGBM - ONNX| {maxDiff}");
        output.WriteLine($"{f.Bars.Count} bars, {scored} scored, {entries} entries, max |p_cal LightGBM - onnx| {maxDiff:E2}");
    }

    [Theory]
    [InlineData(2, "p_long from the trees (--p-long trees", "--p-long", "trees", "--engine", "libtorch")]
    [InlineData(2, "p_long from the trees (auto: the model bundle", "--engine", "libtorch")]
    [InlineData(2, "add --engine onnx", "--p-long", "hybrid", "--onnx", "EXPORT")]
    [InlineData(2, "onnx-missing", "--p-long", "hybrid", "--engine", "onnx", "--onnx", "MISSING")]
    [InlineData(1, "--engine", "--p-long", "hybrid", "--engine", "tensorrt")]
    public void Start_BadEngineOptions_ExitCodeAndMessageNamingTheProblem(int exitCode, string message, params string[] options)
    {
        var f = ServeFixture.Instance;
        var args = options.Select(o => o switch
        {
            "EXPORT" => Export(f.BundleA),
            "MISSING" => Path.Combine(f.Root, "no-such-export"),
            _ => o,
        }).ToArray();
        using var serve = ServeProcess.StartToExit(["--bundle", f.BundleA, .. args]);

        Assert.True(serve.Process.ExitCode == exitCode, $"exit {serve.Process.ExitCode}:\n{serve.StandardError}");
        Assert.Contains(message, serve.StandardError);
    }

    /// <summary>
    /// Same times, actions, reasons, eligibility and input distances bar for bar, p_long within 1e-5 (null at the same bars);
    /// returns the bars scored, the entries and the largest p_long difference.
    /// </summary>
    private static (int Scored, int Entries, double MaxDiff) SameDecisions(IReadOnlyList<JsonNode> expected, IReadOnlyList<JsonNode> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        int scored = 0, entries = 0;
        var maxDiff = 0.0;
        for (var i = 0; i < expected.Count; i++)
        {
            JsonNode e = expected[i], a = actual[i];
            var at = $"bar {i} ({(string)e["time"]!})";
            Assert.True((string)e["time"]! == (string)a["time"]!, $"{at}: onnx answered {(string)a["time"]!}");
            double? pe = (double?)e["p_long"], pa = (double?)a["p_long"];
            Assert.True(pe.HasValue == pa.HasValue, $"{at}: managed p_long {pe}, onnx {pa}");
            if (pe is { } x)
            {
                var diff = Math.Abs(x - pa!.Value);
                Assert.True(diff <= 1e-5, $"{at}: managed p_long {x.ToString("R", CultureInfo.InvariantCulture)}, onnx {pa.Value.ToString("R", CultureInfo.InvariantCulture)}");
                maxDiff = Math.Max(maxDiff, diff);
                scored++;
            }
            Assert.True((string)e["decision"]! == (string)a["decision"]!, $"{at}: managed {(string)e["decision"]!} (p_long {pe}), onnx {(string)a["decision"]!} (p_long {pa})");
            Assert.True((string?)e["reason"] == (string?)a["reason"], $"{at}: managed reason {(string?)e["reason"]}, onnx {(string?)a["reason"]}");
            Assert.Equal((bool)e["eligible"]!, (bool)a["eligible"]!);
            Assert.Equal((double?)e["input_distance"], (double?)a["input_distance"]);
            if ((string)e["decision"]! != "none") entries++;
        }
        return (scored, entries, maxDiff);
    }

    /// <summary><c>kairos bundle export BUNDLE --format onnx</c>, once per bundle per test run.</summary>
    private static string Export(string bundle)
    {
        Lazy<string> lazy;
        lock (Exports)
        {
            if (!Exports.TryGetValue(bundle, out lazy!))
                Exports[bundle] = lazy = new(() =>
                {
                    var dir = Path.Combine(TestData.TempDirectory("kairos-serve-onnx"), "export");
                    var r = KairosCli.Run("bundle", "export", bundle, "--format", "onnx", "--out", dir, "--json");
                    Assert.True(r.ExitCode == 0, r.StandardError);
                    return dir;
                });
        }
        return lazy.Value;
    }
}
