using System.Text.Json.Nodes;
using Kairos.Datasets;

namespace Kairos.Tests.Bundles;

/// <summary>
/// The whole chain through the CLI on a real slice of EURUSD M5 bars, each stage consuming the previous one's
/// real output: snapshot -> dataset -> trees (few trials) -> hybrid WITH the trees stage's enriched dataset and its
/// calibrated tree signals -> evaluation -> promotion gate (against the trees' own p_cal) -> bundle -> verify ->
/// latency on real test-split feature vectors written into the card -> verify again.
/// </summary>
public sealed class RealChainTests
{
    private static readonly string Config = SmallRealData.DatasetYaml();

    [Fact]
    public void Chain_RealEurusdSlice_BundleFromRealStageOutputsVerifiesAndCarriesLatency()
    {
        var root = TestData.TempDirectory("kairos-chain");
        var csv = Path.Combine(root, "EURUSD_M5_head.csv");
        File.WriteAllLines(csv, File.ReadLines(TestData.File("EURUSD_M5_2025_mt5.csv")).Take(12_001));
        var config = Path.Combine(root, "dataset.yaml");
        File.WriteAllText(config, Config);

        var snapshot = Json(Ok("snapshot", "create", "--input", csv, "--symbol", "EURUSD", "--out", Path.Combine(root, "snapshots"), "--json"));
        var dataset = Json(Ok("dataset", "build", "--snapshot", (string)snapshot["directory"]!, "--config", config, "--out", Path.Combine(root, "datasets"), "--json"));
        var trees = Json(Ok("train", "gbdt", "--dataset", (string)dataset["directory"]!, "--out", Path.Combine(root, "trees"),
            "--trials", "2", "--folds", "2", "--ensemble", "2", "--threads", "1", "--json"));
        var enriched = (string)trees["enriched_dataset_directory"]!;
        var treesDir = (string)trees["artifact_directory"]!;
        Assert.True(DatasetReader.Open(enriched).Metadata.CalibrationApplied);

        var runDir = Path.Combine(root, "runs", "hybrid");
        var run = Json(Ok("train", "hybrid", "--dataset", enriched, "--out", runDir, "--epochs", "2", "--batch-size", "64", "--lr", "1e-3",
            "--patience", "0", "--threads", "2", "--seed", "7", "--d-model", "32", "--heads", "4", "--layers", "1", "--feed-forward", "64", "--json"));
        Assert.True((bool)run["bundle"]!["uses_tree_signals"]!);
        Assert.Equal(["p_cal", "margin", "p_hat", "uncertainty_score"], run["bundle"]!["tree_signals"]!.AsArray().Select(s => (string)s!));

        Assert.True(File.Exists(Path.Combine(runDir, "predictions_test.csv")));
        var baseline = TreePredictions(enriched, Path.Combine(root, "trees_test.csv"));
        var evalDir = Path.Combine(root, "eval", "hybrid");
        var evaluation = Json(Ok("eval", "--run", runDir, "--split", "test", "--out", evalDir, "--bootstrap", "50", "--json"));
        Assert.Equal(DatasetReader.Open(enriched).Metadata.Split("test").Rows, (long)evaluation["overall"]!["count"]!);
        Ok("eval", "--predictions", baseline, "--out", Path.Combine(root, "eval", "trees"), "--bootstrap", "50", "--json");
        var verdictPath = Path.Combine(root, "verdict.json");
        var gate = KairosCli.Run("promote", "--candidate", evalDir, "--baseline", Path.Combine(root, "eval", "trees"), "--out", verdictPath, "--json");
        Assert.True(gate.ExitCode is 0 or 4, gate.StandardError);
        Assert.True(File.Exists(verdictPath));

        var built = Json(Ok("bundle", "build", "--dataset", enriched, "--trees", treesDir, "--run", runDir, "--eval", evalDir,
            "--verdict", verdictPath, "--out", Path.Combine(root, "bundles"), "--json"));
        var bundle = (string)built["directory"]!;
        var contract = (string)dataset["feature_contract_hash"]!;
        Assert.Equal(contract, (string)built["feature_contract_hash"]!);
        Ok("bundle", "verify", bundle, "--expected-hash", contract);
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "bundle_metadata.json")))!;
        Assert.Equal(DatasetReader.Open(enriched).Metadata.Id, (string)metadata["lineage"]!["dataset_id"]!);
        Assert.Equal(Path.GetFileName(treesDir), (string)metadata["lineage"]!["trees_id"]!);
        Assert.Equal((string)snapshot["id"]!, (string)metadata["lineage"]!["snapshot_id"]!);
        Assert.True((bool)metadata["calibration_required"]!);

        var latency = Json(Ok("bench", "latency", "--bundle", bundle, "--dataset", enriched, "--samples", "300", "--warmup", "50", "--json"));
        var stages = latency["detail"]!["stages"]!.AsArray();
        Assert.Equal(["trees_calibration", "full_path"], stages.Select(s => (string)s!["name"]!));
        Assert.StartsWith("managed kernel (", (string)latency["detail"]!["engine"]!);
        Assert.Contains($"real bars of the 'test' split of dataset {DatasetReader.Open(enriched).Metadata.Id}", (string)latency["detail"]!["inputs"]!);
        var card = JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "model_card.json")))!;
        Assert.Equal(300, (int)card["latency_ms"]!["samples"]!);
        Assert.Equal((double)stages[1]!["p99_us"]! / 1000, (double)card["latency_ms"]!["p99"]!, 9);
        Assert.True((double)card["latency_ms"]!["p50"]! > 0);
        Assert.Equal(gate.ExitCode == 0 ? "passed" : "failed", (string)card["gate"]!["verdict"]!);
        Assert.True(File.Exists(Path.Combine(bundle, (string)card["gate"]!["file"]!)));
        Ok("bundle", "verify", bundle, "--expected-hash", contract);
    }

    private static KairosResult Ok(params string[] args)
    {
        var r = KairosCli.Run(args);
        Assert.True(r.ExitCode == 0, $"kairos {string.Join(' ', args)} exited {r.ExitCode}: {r.StandardError}{r.StandardOutput}");
        return r;
    }

    private static JsonNode Json(KairosResult r) => JsonNode.Parse(r.StandardOutput)!;

    /// <summary>The trees' calibrated probability on the enriched test split, as an evaluation predictions CSV.</summary>
    private static string TreePredictions(string enriched, string path)
    {
        var split = DatasetReader.Open(enriched).ReadSplit("test");
        var labels = split.Int("y_direction");
        var sessions = split.Int("session_id");
        var pCal = split.Double("p_cal");
        File.WriteAllLines(path, ["timestamp,y_true,y_prob,session", .. Enumerable.Range(0, split.Rows).Select(i => FormattableString.Invariant(
            $"{DateTimeOffset.FromUnixTimeSeconds(split.Timestamp[i]):yyyy-MM-ddTHH:mm:ssZ},{labels[i]},{pCal[i]:R},{Kairos.Features.SessionTable.Names[sessions[i]]}"))]);
        return path;
    }
}
