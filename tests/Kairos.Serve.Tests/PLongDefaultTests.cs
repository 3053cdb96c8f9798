using System.Text.Json.Nodes;
using Kairos.Tests.Bundles;

namespace Kairos.Serve.Tests;

/// <summary>
/// <c>--p-long</c>'s default (auto) on bundles whose gate did not judge their deep model, as real processes: the serve
/// fixture's bundle A, whose evaluation is not of its hybrid run's predictions, records <c>p_long: trees</c>; the same
/// bundle from an evaluation that records no SHA-256 of what it evaluated records nothing (as bundles built before the
/// field), and auto scores the trees and says so.
/// </summary>
public class PLongDefaultTests
{
    /// <summary>Bundle A's inputs with the evaluation's <c>source_sha256</c> removed, built once.</summary>
    private static readonly Lazy<string> Unrecorded = new(() =>
    {
        var inputs = BundleInputs.Instance;
        var evaluation = Path.Combine(TestData.TempDirectory("kairos-plong-default"), "eval-unhashed");
        ServeFixture.Copy(inputs.Evaluation, evaluation);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(evaluation, "metrics.json")))!.AsObject();
        metrics.Remove("source_sha256");
        File.WriteAllText(Path.Combine(evaluation, "metrics.json"), metrics.ToJsonString());
        return ServeFixture.Build(["bundle", "build", "--dataset", inputs.Dataset, "--trees", inputs.Trees, "--run", inputs.Run, "--eval", evaluation,
            "--out", Path.Combine(Path.GetDirectoryName(evaluation)!, "bundles"), "--verdict", inputs.PassedVerdict]);
    });

    private static JsonNode Metadata(string bundle) => JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "bundle_metadata.json")))!;

    private static JsonNode Predict(string bundle, params string[] options)
    {
        var csv = Path.Combine(TestData.TempDirectory("kairos-plong-predict"), "p.csv");
        var r = KairosCli.Run(["predict", "--bundle", bundle, "--snapshot", ServeFixture.Instance.Snapshot, "--from", "2025-11-03", "--to", "2025-11-05",
            "--out", csv, "--json", .. options]);
        Assert.True(r.ExitCode == 0, r.StandardError);
        return JsonNode.Parse(r.StandardOutput)!;
    }

    [Fact]
    public void Predict_BundleWhoseEvaluationIsNotItsDeepRuns_RecordsTreesAutoScoresThemHybridOnRequest()
    {
        var bundle = ServeFixture.Instance.BundleA;

        Assert.Equal("trees", (string)Metadata(bundle)["p_long"]!);
        var auto = Predict(bundle);
        var hybrid = Predict(bundle, "--p-long", "hybrid");

        Assert.Equal("trees", (string)auto["p_long_source"]!);
        Assert.StartsWith("auto: the model bundle", (string)auto["p_long_reason"]!);
        Assert.Equal("hybrid", (string)hybrid["p_long_source"]!);
        Assert.Equal("--p-long hybrid", (string)hybrid["p_long_reason"]!);
    }

    [Fact]
    public void PredictAndReplay_BundleRecordingNoJudgedModel_AutoScoresTheTreesAndSaysSo()
    {
        var bundle = Unrecorded.Value;

        Assert.Null(Metadata(bundle)["p_long"]);
        var auto = Predict(bundle);
        var replay = KairosCli.Run("replay", "--bundle", bundle, "--snapshot", ServeFixture.Instance.Snapshot, "--window", "2d", "--permutations", "99",
            "--out", Path.Combine(TestData.TempDirectory("kairos-plong-replay"), "replays"), "--json");

        Assert.Equal("trees", (string)auto["p_long_source"]!);
        Assert.Contains("records no judged model", (string)auto["p_long_reason"]!);
        Assert.True(replay.ExitCode == 0, replay.StandardError);
        Assert.Contains("records no p_long", replay.StandardError);
        Assert.Equal("trees", (string)JsonNode.Parse(replay.StandardOutput)!["report"]!["model"]!["p_long_source"]!);
    }
}
