using System.Text.Json.Nodes;
using Kairos.Tests.Bundles;

namespace Kairos.Tests.Replay;

/// <summary>
/// <c>--p-long</c>'s default (auto) on bundles whose gate did not judge their deep model, as real processes: a bundle
/// whose evaluation is not of its hybrid run's predictions records <c>p_long: trees</c>; one whose evaluation records no
/// SHA-256 of what it evaluated records nothing (as bundles built before the field), and auto scores the trees and says so.
/// </summary>
public class PLongDefaultTests
{
    private sealed class Fixture
    {
        private static readonly Lazy<Fixture> Shared = new(() => new Fixture());
        public static Fixture Instance => Shared.Value;

        private Fixture()
        {
            var inputs = BundleInputs.Instance;
            Root = TestData.TempDirectory("kairos-plong-default");
            Judged = Build(inputs.BuildArgs(Path.Combine(Root, "bundles"), inputs.PassedVerdict, "trees judged"));
            // The same evaluation without source_sha256: nothing tells what it judged.
            var evaluation = Path.Combine(Root, "eval-unhashed");
            Directory.CreateDirectory(evaluation);
            foreach (var file in Directory.GetFiles(inputs.Evaluation)) File.Copy(file, Path.Combine(evaluation, Path.GetFileName(file)));
            var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(evaluation, "metrics.json")))!.AsObject();
            metrics.Remove("source_sha256");
            File.WriteAllText(Path.Combine(evaluation, "metrics.json"), metrics.ToJsonString());
            Unrecorded = Build(["bundle", "build", "--dataset", inputs.Dataset, "--trees", inputs.Trees, "--run", inputs.Run, "--eval", evaluation,
                "--out", Path.Combine(Root, "bundles"), "--verdict", inputs.PassedVerdict]);
            var snapshot = KairosCli.Run("snapshot", "create", "--input", TestData.File("EURUSD_M5_2025_mt5.csv"), "--symbol", "EURUSD",
                "--out", Path.Combine(Root, "snapshots"), "--json");
            Assert.True(snapshot.ExitCode == 0, snapshot.StandardError);
            Snapshot = (string)JsonNode.Parse(snapshot.StandardOutput)!["directory"]!;
        }

        public string Root { get; }
        public string Judged { get; }
        public string Unrecorded { get; }
        public string Snapshot { get; }

        private static string Build(string[] args)
        {
            var r = KairosCli.Run([.. args, "--json"]);
            Assert.True(r.ExitCode == 0, r.StandardError);
            return (string)JsonNode.Parse(r.StandardOutput)!["directory"]!;
        }
    }

    private static JsonNode Metadata(string bundle) => JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "bundle_metadata.json")))!;

    private static JsonNode Predict(string bundle, params string[] options)
    {
        var csv = Path.Combine(TestData.TempDirectory("kairos-plong-predict"), "p.csv");
        var r = KairosCli.Run(["predict", "--bundle", bundle, "--snapshot", Fixture.Instance.Snapshot, "--from", "2025-11-03", "--to", "2025-11-05",
            "--out", csv, "--json", .. options]);
        Assert.True(r.ExitCode == 0, r.StandardError);
        return JsonNode.Parse(r.StandardOutput)!;
    }

    [Fact]
    public void Predict_BundleWhoseEvaluationIsNotItsDeepRuns_RecordsTreesAutoScoresThemHybridOnRequest()
    {
        var f = Fixture.Instance;

        Assert.Equal("trees", (string)Metadata(f.Judged)["p_long"]!);
        var auto = Predict(f.Judged);
        var hybrid = Predict(f.Judged, "--p-long", "hybrid");

        Assert.Equal("trees", (string)auto["p_long_source"]!);
        Assert.StartsWith("auto: the model bundle", (string)auto["p_long_reason"]!);
        Assert.Equal("hybrid", (string)hybrid["p_long_source"]!);
        Assert.Equal("--p-long hybrid", (string)hybrid["p_long_reason"]!);
    }

    [Fact]
    public void PredictAndReplay_BundleRecordingNoJudgedModel_AutoScoresTheTreesAndSaysSo()
    {
        var f = Fixture.Instance;

        Assert.Null(Metadata(f.Unrecorded)["p_long"]);
        var auto = Predict(f.Unrecorded);
        var replay = KairosCli.Run("replay", "--bundle", f.Unrecorded, "--snapshot", f.Snapshot, "--window", "2d", "--permutations", "99",
            "--out", Path.Combine(TestData.TempDirectory("kairos-plong-replay"), "replays"), "--json");

        Assert.Equal("trees", (string)auto["p_long_source"]!);
        Assert.Contains("records no judged model", (string)auto["p_long_reason"]!);
        Assert.True(replay.ExitCode == 0, replay.StandardError);
        Assert.Contains("records no p_long", replay.StandardError);
        Assert.Equal("trees", (string)JsonNode.Parse(replay.StandardOutput)!["report"]!["model"]!["p_long_source"]!);
    }
}
