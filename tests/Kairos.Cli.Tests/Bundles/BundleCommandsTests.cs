using System.Text.Json.Nodes;
using Kairos.Bundles;

namespace Kairos.Tests.Bundles;

public sealed class BundleCommandsTests
{
    private static (string Dir, JsonNode Json) Build(string? verdict = null, string notes = "")
    {
        var inputs = BundleInputs.Instance;
        var r = KairosCli.Run([.. inputs.BuildArgs(Path.Combine(TestData.TempDirectory(), "bundles"), verdict ?? inputs.PassedVerdict, notes), "--json"]);
        Assert.True(r.ExitCode == 0, r.StandardError + r.StandardOutput);
        var json = JsonNode.Parse(r.StandardOutput)!;
        return ((string)json["directory"]!, json);
    }

    [Fact]
    public void Build_RealDatasetAndStageArtifacts_CompleteSelfDescribingBundle()
    {
        var inputs = BundleInputs.Instance;

        var (dir, json) = Build(notes: "integration test");

        Assert.True((bool)json["passed"]!);
        Assert.Equal(inputs.Metadata.FeatureContractHash, (string)json["feature_contract_hash"]!);
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "bundle_metadata.json")))!;
        Assert.Equal("v10_ctx", (string)metadata["model_variant"]!);
        Assert.Equal(5, (int)metadata["expected_ctx_cat_dim"]!);
        Assert.Equal(2, (int)metadata["expected_ctx_cont_dim"]!);
        Assert.Equal(10, (int)metadata["seq_len"]!);
        Assert.Equal(4, (int)metadata["n_seq_features"]!);
        Assert.Equal(6, (int)metadata["n_snap_features"]!);
        Assert.Equal(["EU", "OVERLAP", "US"], metadata["sessions"]!.AsArray().Select(s => (string)s!));
        Assert.Equal(inputs.Metadata.Id, (string)metadata["lineage"]!["dataset_id"]!);
        Assert.Equal("snap-eurusd-2025", (string)metadata["lineage"]!["snapshot_id"]!);
        Assert.Equal("run-2026-01-06", (string)metadata["lineage"]!["run_id"]!);
        var card = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "model_card.json")))!;
        Assert.Equal("2", (string)card["version"]!);
        Assert.Equal(inputs.Metadata.Split("train").Rows, (long)card["train"]!["rows"]!);
        Assert.Equal(inputs.Metadata.Eligibility.Rate, (double)card["eligibility"]!["rate"]!, 12);
        Assert.Equal(0.56, (double)card["metrics"]!["pr_auc"]!);
        Assert.Equal(0.57, (double)card["metrics_by_session"]!["US"]!["pr_auc"]!);
        Assert.Equal("passed", (string)card["gate"]!["verdict"]!);
        Assert.Equal("rsi_14", (string)card["feature_importance"]![0]!["name"]!);
        Assert.Equal(0.05, (double)card["hyperparameters"]!["trees"]!["learning_rate"]!);
        Assert.Equal("integration test", (string)card["notes"]!);
        Assert.True(File.Exists(Path.Combine(dir, "hybrid", "model.bin")));
        Assert.True(File.Exists(Path.Combine(dir, "trees", "models", "EU_US", "final_m1.txt")));
        Assert.False(Directory.Exists(Path.Combine(dir, "hybrid", "checkpoints")));
        Assert.Equal(File.ReadAllText(Path.Combine(inputs.Dataset, "dataset.json")), File.ReadAllText(Path.Combine(dir, "dataset", "dataset.json")));
        Assert.Equal(inputs.Metadata.FeatureContractHash, RunningFeatureContract.Instance.HashOf(File.ReadAllText(Path.Combine(dir, "feature_contract.json"))));
    }

    [Fact]
    public void Verify_Intact_ExitZeroAndEveryCheckPasses()
    {
        var (dir, _) = Build();

        var r = KairosCli.Run("bundle", "verify", dir, "--expected-hash", BundleInputs.Instance.Metadata.FeatureContractHash, "--json");

        Assert.Equal(0, r.ExitCode);
        var json = JsonNode.Parse(r.StandardOutput)!;
        Assert.True((bool)json["passed"]!);
        Assert.Equal(7, json["checks"]!.AsArray().Count);
        Assert.All(json["checks"]!.AsArray(), c => Assert.True((bool)c!["passed"]!));
    }

    [Fact]
    public void Verify_WrongExpectedHash_Exit3NamingCheck()
    {
        var (dir, _) = Build();

        var r = KairosCli.Run("bundle", "verify", dir, "--expected-hash", "93ab1d31534f2dc7");

        Assert.Equal(3, r.ExitCode);
        Assert.Contains($"expected_hash: feature_contract_hash is {BundleInputs.Instance.Metadata.FeatureContractHash}, expected 93ab1d31534f2dc7", r.StandardError);
    }

    [Fact]
    public void Verify_TamperedWeights_Exit3NamingFile()
    {
        var (dir, _) = Build();
        var weights = Path.Combine(dir, "hybrid", "model.bin");
        var bytes = File.ReadAllBytes(weights);
        bytes[100] ^= 0xff;
        File.WriteAllBytes(weights, bytes);

        var r = KairosCli.Run("bundle", "verify", dir);

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("manifest: 'hybrid/model.bin': SHA-256 is", r.StandardError);
    }

    [Fact]
    public void Verify_FeatureCodeWouldProduceOtherContract_Exit3RuntimeContract()
    {
        var (dir, _) = Build();
        var datasetJson = Path.Combine(dir, "dataset", "dataset.json");
        var node = JsonNode.Parse(File.ReadAllText(datasetJson))!;
        node["config"]!["trend_ema_period"] = 77;
        File.WriteAllText(datasetJson, node.ToJsonString());
        File.Delete(Path.Combine(dir, "manifest.json"));
        File.WriteAllText(Path.Combine(dir, "manifest.json"), BundleJson.Serialize(BundleManifest.Create(dir)));

        var r = KairosCli.Run("bundle", "verify", dir);

        Assert.Equal(3, r.ExitCode);
        Assert.Contains("runtime_contract: bundle was built for feature contract", r.StandardError);
        Assert.DoesNotContain("manifest:", r.StandardError);
    }

    [Fact]
    public void Build_InputsFromDifferentContracts_Exit2NamingFiles()
    {
        var inputs = BundleInputs.Instance;
        var trees = Path.Combine(TestData.TempDirectory(), "trees");
        CopyDirectory(inputs.Trees, trees);
        var gbdt = JsonNode.Parse(File.ReadAllText(Path.Combine(trees, "gbdt.json")))!;
        gbdt["lineage"]!["feature_contract_hash"] = "0000000000000000";
        File.WriteAllText(Path.Combine(trees, "gbdt.json"), gbdt.ToJsonString());
        var output = Path.Combine(TestData.TempDirectory(), "bundles");

        var r = KairosCli.Run("bundle", "build", "--dataset", inputs.Dataset, "--trees", trees, "--run", inputs.Run, "--eval", inputs.Evaluation, "--out", output);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("lineage.feature_contract_hash is 0000000000000000", r.StandardError);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any());
    }

    [Fact]
    public void Build_MissingSessionCalibrator_Exit2NamingSession()
    {
        var inputs = BundleInputs.Instance;
        var trees = Path.Combine(TestData.TempDirectory(), "trees");
        CopyDirectory(inputs.Trees, trees);
        var gbdt = JsonNode.Parse(File.ReadAllText(Path.Combine(trees, "gbdt.json")))!;
        gbdt["groups"]![0]!["sessions"]!.AsArray().Add("ASIA");
        File.WriteAllText(Path.Combine(trees, "gbdt.json"), gbdt.ToJsonString());

        var r = KairosCli.Run("bundle", "build", "--dataset", inputs.Dataset, "--trees", trees, "--run", inputs.Run, "--eval", inputs.Evaluation, "--out", Path.Combine(TestData.TempDirectory(), "b"));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no calibrator for session 'ASIA'", r.StandardError);
    }

    [Fact]
    public void BenchLatency_RealTreesAndHybrid_WritesBothStagesIntoCardAndBundleStillVerifies()
    {
        var (dir, _) = Build();

        var r = KairosCli.Run("bench", "latency", "--bundle", dir, "--samples", "300", "--warmup", "50", "--json");

        Assert.True(r.ExitCode == 0, r.StandardError);
        var json = JsonNode.Parse(r.StandardOutput)!;
        Assert.True((bool)json["written_to_card"]!);
        var stage = json["detail"]!["stages"]![0]!;
        Assert.Equal("trees_calibration", (string)stage["name"]!);
        Assert.Equal(300, (int)stage["samples"]!);
        var card = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "model_card.json")))!;
        Assert.Equal((double)stage["p99_us"]!, (double)card["latency_detail"]!["stages"]![0]!["p99_us"]!);
        var full = json["detail"]!["stages"]![1]!;
        Assert.Equal("full_path", (string)full["name"]!);
        Assert.True((double)full["p50_us"]! > (double)stage["p50_us"]!);
        Assert.Equal((double)full["p99_us"]! / 1000, (double)card["latency_ms"]!["p99"]!, 9);
        Assert.Equal(300, (int)card["latency_ms"]!["samples"]!);
        Assert.StartsWith("managed kernel (", (string)card["latency_detail"]!["engine"]!);
        Assert.Equal(0, KairosCli.Run("bundle", "verify", dir).ExitCode);
    }

    [Fact]
    public void BenchLatency_LibtorchEngine_RecordsItsEngineAndBadEngineIsRefused()
    {
        var (dir, _) = Build();

        var r = KairosCli.Run("bench", "latency", "--bundle", dir, "--samples", "100", "--warmup", "20", "--engine", "libtorch", "--json");
        var bad = KairosCli.Run("bench", "latency", "--bundle", dir, "--engine", "tensorrt");

        Assert.True(r.ExitCode == 0, r.StandardError);
        Assert.StartsWith("libtorch ", (string)JsonNode.Parse(r.StandardOutput)!["detail"]!["engine"]!);
        Assert.StartsWith("libtorch ", (string)JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "model_card.json")))!["latency_detail"]!["engine"]!);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("Argument 'tensorrt' not recognized", bad.StandardError);
    }

    [Fact]
    public void BenchLatency_OnnxEngine_RecordsOnnxRuntime()
    {
        var (dir, _) = Build();

        var r = KairosCli.Run("bench", "latency", "--bundle", dir, "--samples", "100", "--warmup", "20", "--engine", "onnx", "--no-write", "--json");

        Assert.True(r.ExitCode == 0, r.StandardError);
        var result = JsonNode.Parse(r.StandardOutput)!;
        Assert.StartsWith("ONNX Runtime ", (string)result["detail"]!["engine"]!);
        Assert.True((double)result["full_path_ms"]!["p50"]! > 0);
        Assert.False((bool)result["written_to_card"]!);
    }

    internal static void CopyDirectory(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
