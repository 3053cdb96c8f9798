using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Bundles;
using Kairos.Evaluation;
using Kairos.Replay;

namespace Kairos.Tests.Bundles;

/// <summary>
/// A deep run of one family trained through the CLI on the bundle tests' real dataset (<see cref="BundleInputs"/>) and bundled
/// with their trees, evaluation and verdict, once per test class; and the checks every family's bundle passes alike.
/// </summary>
public abstract class DeepBundleFixture
{
    /// <param name="prefix">Temporary directory prefix.</param>
    /// <param name="family">The <c>kairos train</c> subcommand (tft, lstm).</param>
    /// <param name="options">The training options after <c>--dataset</c> and <c>--out</c>.</param>
    protected DeepBundleFixture(string prefix, string family, params string[] options)
    {
        var inputs = BundleInputs.Instance;
        var root = TestData.TempDirectory(prefix);
        Run = Path.Combine(root, "run");
        Train = KairosCli.Run(["train", family, "--dataset", inputs.Dataset, "--out", Run, .. options]);
        Build = KairosCli.Run("bundle", "build", "--dataset", inputs.Dataset, "--trees", inputs.Trees, "--run", Run, "--eval", inputs.Evaluation,
            "--out", Path.Combine(root, "bundles"), "--verdict", inputs.PassedVerdict, "--json");
        if (Build.ExitCode == 0) Directory = (string)JsonNode.Parse(Build.StandardOutput)!["directory"]!;
    }

    public string Run { get; }
    internal KairosResult Train { get; }
    internal KairosResult Build { get; }
    public string? Directory { get; }

    public Bundle Open() => Bundle.Open(Directory!, new BundleVerifyOptions { ContractAuthority = RunningFeatureContract.Instance });

    /// <summary>
    /// Replays the EURUSD bars from the test split's start through the bundle (p_long from its deep model, out-of-distribution
    /// guard off: model parity on every row) and requires p_long within 1e-5 of <paramref name="expected"/> (the offline
    /// predictor's test split) on every test row, more than 1,000 of them.
    /// </summary>
    public void AssertReplayEqualsOffline(Predictions expected)
    {
        Assert.True(Build.ExitCode == 0, Build.StandardError);
        Kairos.Deep.Runtime.TorchRuntime.ConfigureThreads(1);
        var meta = Kairos.Datasets.DatasetReader.Open(BundleInputs.Instance.Dataset).Metadata;
        var rows = expected.Timestamps!.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        var bars = Kairos.Snapshots.BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"), "EURUSD");
        var options = new BundleReplayOptions { PLong = PLongChoice.Hybrid, OutOfDistributionGuard = false, HybridLoader = Kairos.Deep.Replay.HybridScorer.Open };
        using var predictor = BundlePredictor.Open(Directory!, options);

        var trace = new ReplayEngine(new ReplayOptions { Permutations = 99 }, TimeProvider.System)
            .Run(bars, [predictor], new ReplayWindow(meta.Split("test").StartTime!.Value, null), Kairos.Progress.NullProgressSink.Instance)[0].Trace!;

        var compared = 0;
        for (var i = 0; i < trace.Count; i++)
        {
            if (!rows.TryGetValue(trace.Time[i], out var row)) continue;
            Assert.True(double.IsFinite(trace.PLong[i]), $"test row {row} at {trace.Time[i]} was not scored ({trace.Reason[i]})");
            Assert.True(Math.Abs(expected.Probabilities[row] - trace.PLong[i]) <= 1e-5, $"test[{row}]: replay {trace.PLong[i]:R}, offline {expected.Probabilities[row]:R}");
            compared++;
        }
        Assert.Equal(rows.Count, compared);
        Assert.True(compared > 1000, $"{compared} test rows compared");
    }

    /// <summary><c>kairos bench latency</c> on the bundle measures the full path on an engine whose description contains <paramref name="engine"/>.</summary>
    public void AssertBenchLatencyMeasuresTheFullPath(string engine)
    {
        Assert.True(Build.ExitCode == 0, Build.StandardError);

        var r = KairosCli.Run("bench", "latency", "--bundle", Directory!, "--samples", "200", "--warmup", "50", "--no-write", "--json");

        Assert.True(r.ExitCode == 0, r.StandardError);
        var json = JsonDocument.Parse(r.StandardOutput).RootElement;
        Assert.True(json.GetProperty("full_path_measured").GetBoolean());
        Assert.Contains(engine, json.GetProperty("detail").GetProperty("engine").GetString());
        Assert.True(json.GetProperty("full_path_ms").GetProperty("p99").GetDouble() > 0);
    }
}
