using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Calibration;
using Kairos.Datasets;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Runs;
using Kairos.Snapshots;
using Kairos.Trees;

namespace Kairos.Tests.Bundles;

/// <summary>
/// The inputs of <c>kairos bundle build</c>: a real dataset built from a year of EURUSD M5 bars (small feature
/// lists to stay fast), and trees, hybrid run, evaluation and gate verdict artifacts written in their stages'
/// formats (gbdt.json, calibrators.json through the calibration API, bundle_metadata.json, metrics.json).
/// Built once per test run; tests copy what they change.
/// </summary>
internal sealed class BundleInputs
{
    private static readonly string Config = SmallRealData.DatasetYaml(seqLen: 10);

    private static readonly Lazy<BundleInputs> Shared = new(() => new BundleInputs(TestData.SharedDirectory("kairos-bundle-inputs")));

    public static BundleInputs Instance => Shared.Value;

    private BundleInputs(string root)
    {
        Root = root;
        var dataset = SmallRealData.EurusdDataset(Config);
        var built = (Directory: dataset, Metadata: DatasetReader.Open(dataset).Metadata);
        Dataset = built.Directory;
        Metadata = built.Metadata;
        Trees = WriteTrees(Path.Combine(root, "trees", "t0123456789abcde"), Dataset, Metadata);
        Run = WriteRun(Path.Combine(root, "runs", "run-2026-01-06"), Metadata);
        Evaluation = WriteEvaluation(Path.Combine(root, "eval"));
        PassedVerdict = WriteVerdict(Path.Combine(root, "verdict_passed.json"), passed: true);
        FailedVerdict = WriteVerdict(Path.Combine(root, "verdict_failed.json"), passed: false);
    }

    public string Root { get; }
    public string Dataset { get; }
    public DatasetMetadata Metadata { get; }
    public string Trees { get; }
    public string Run { get; }
    public string Evaluation { get; }
    public string PassedVerdict { get; }
    public string FailedVerdict { get; }

    public string[] BuildArgs(string outRoot, string? verdict, string notes = "") =>
        ["bundle", "build", "--dataset", Dataset, "--trees", Trees, "--run", Run, "--eval", Evaluation, "--out", outRoot, "--notes", notes,
            .. verdict is null ? Array.Empty<string>() : ["--verdict", verdict]];

    private static string WriteTrees(string dir, string dataset, DatasetMetadata m)
    {
        Directory.CreateDirectory(Path.Combine(dir, "models", "EU_US"));
        var reader = DatasetReader.Open(dataset);
        FeatureMatrix Matrix(string split, out int[] labels)
        {
            var data = reader.ReadSplit(split);
            var columns = m.SnapshotFeatures.Select(data.Double).ToArray();
            var values = new float[data.Rows * columns.Length];
            for (var i = 0; i < data.Rows; i++)
                for (var j = 0; j < columns.Length; j++) values[i * columns.Length + j] = (float)columns[j][i];
            labels = data.Int("y_direction");
            return new FeatureMatrix(values, data.Rows, m.SnapshotFeatures);
        }
        using var ensemble = GbdtEnsemble.Train(Matrix("train", out var y), y, Matrix("val", out var yv), yv,
            new GbdtParameters { MaxIterations = 40, Threads = 1 }, [], members: 2);
        for (var k = 0; k < 2; k++)
            File.WriteAllText(Path.Combine(dir, "models", "EU_US", $"final_m{k}.txt"), ensemble.Members[k].ModelText);
        var calibrators = new Dictionary<(string, string), ICalibrator>
        {
            [("EU", "all")] = new PlattCalibrator(1.1, -0.05, 500, 240),
            [("OVERLAP", "all")] = new PlattCalibrator(0.9, 0.02, 400, 210),
            [("US", "all")] = new PlattCalibrator(1.0, 0.0, 450, 220),
        };
        new SessionCalibratorSet(CalibrationMethod.Platt, calibrators, "test").Save(Path.Combine(dir, "calibrators.json"));
        var final = new JsonArray(new JsonObject { ["file"] = "models/EU_US/final_m0.txt" }, new JsonObject { ["file"] = "models/EU_US/final_m1.txt" });
        var gbdt = new JsonObject
        {
            ["kind"] = "kairos.gbdt",
            ["schema_version"] = 1,
            ["id"] = Path.GetFileName(dir),
            ["dataset"] = new JsonObject { ["id"] = m.Id, ["directory"] = "x", ["feature_contract_hash"] = m.FeatureContractHash },
            ["enriched_dataset"] = new JsonObject { ["id"] = "enriched0000000", ["directory"] = "y", ["feature_contract_hash"] = m.FeatureContractHash },
            ["lineage"] = new JsonObject { ["dataset_id"] = m.Id, ["feature_contract_hash"] = m.FeatureContractHash, ["config_hash"] = new string('c', 64), ["code_version"] = "abcdef1" },
            ["feature_names"] = new JsonArray(m.SnapshotFeatures.Select(f => (JsonNode?)f).ToArray()),
            ["options"] = new JsonObject { ["parameters"] = new JsonObject { ["learning_rate"] = 0.05, ["num_leaves"] = 31, ["seed"] = 7 } },
            ["calibration"] = new JsonObject { ["method"] = "platt", ["bucket"] = "all", ["file"] = "calibrators.json", ["required"] = true },
            ["groups"] = new JsonArray(new JsonObject { ["name"] = "EU_US", ["sessions"] = new JsonArray("EU", "OVERLAP", "US"), ["final"] = final }),
            ["importance"] = new JsonObject { ["EU_US"] = new JsonArray(new JsonObject { ["feature"] = "rsi_14", ["gain"] = 120.5 }, new JsonObject { ["feature"] = "ret_1", ["gain"] = 80.25 }) },
            ["metrics"] = new JsonObject { ["train"] = new JsonObject { ["rows"] = 1000, ["signal_source"] = new JsonObject { ["out_of_fold"] = 1000, ["final_models"] = 0 } } },
        };
        File.WriteAllText(Path.Combine(dir, "gbdt.json"), gbdt.ToJsonString());
        return dir;
    }

    /// <summary>A hybrid run directory as the trainer writes it: real (untrained, seeded) weights of the design-scale model.</summary>
    private static string WriteRun(string dir, DatasetMetadata m)
    {
        Directory.CreateDirectory(Path.Combine(dir, "checkpoints"));
        var cardinalities = m.FeatureContract["context_categorical"]!.AsArray().Select(c => (int)c!["cardinality"]!).ToArray();
        var schema = new HybridInputSchema(m.SeqLen, m.SequenceFeatures.Count, m.SnapshotFeatures.Count, cardinalities, m.ContextContinuous.Count, 0);
        var options = new HybridModelOptions();
        var standardization = InputStandardization.Identity(m.ContextContinuous.Count, 0);
        TorchSharp.torch.manual_seed(1337);
        using (var model = new HybridModel(schema, options, standardization, new TorchSharp.torch.Generator()))
        {
            model.save(Path.Combine(dir, "model.bin"));
            model.save(Path.Combine(dir, "checkpoints", "epoch_1.bin"));
        }
        var weights = File.ReadAllBytes(Path.Combine(dir, "model.bin"));
        File.WriteAllText(Path.Combine(dir, "train_config.json"), """{"seed":1337,"epochs":5,"batch_size":64,"learning_rate":0.0001}""");
        File.WriteAllText(Path.Combine(dir, "metrics.json"), """{"first_loss":0.71,"last_loss":0.65}""");
        File.WriteAllText(Path.Combine(dir, "git_commit.txt"), "abcdef1\n");
        RunJson.Write(Path.Combine(dir, "bundle_metadata.json"), new HybridBundleMetadata
        {
            ModelVariant = "v10_ctx",
            SupportsContextFeatures = true,
            ExpectedCtxCatDim = cardinalities.Length,
            ExpectedCtxContDim = m.ContextContinuous.Count,
            ContextEmbeddingDim = options.ContextEmbedding,
            ContextCategorical = m.ContextCategorical,
            ContextCardinalities = cardinalities,
            ContextContinuous = m.ContextContinuous,
            UsesTreeSignals = false,
            TreeSignals = [],
            CalibrationApplied = m.CalibrationApplied,
            SeqLen = m.SeqLen,
            SequenceFeatures = m.SequenceFeatures,
            SnapshotFeatures = m.SnapshotFeatures,
            FeatureContractHash = m.FeatureContractHash,
            DatasetId = m.Id,
            WeightsFile = "model.bin",
            WeightsSha256 = Convert.ToHexStringLower(SHA256.HashData(weights)),
            Architecture = options,
            InputStandardization = standardization,
            FusedBranches = ["sequence", "snapshot", "context_categorical", "context_continuous"],
            GitCommit = "abcdef1",
            CreatedAt = new DateTimeOffset(2026, 1, 6, 12, 0, 0, TimeSpan.Zero),
        });
        return dir;
    }

    private static string WriteEvaluation(string dir)
    {
        Directory.CreateDirectory(dir);
        JsonObject Metrics(long count, double prAuc) => new()
        {
            ["count"] = count, ["positives"] = count / 2, ["pr_auc"] = prAuc, ["roc_auc"] = 0.57, ["brier"] = 0.245, ["log_loss"] = 0.684,
            ["ece"] = 0.021, ["accuracy"] = 0.55, ["precision"] = 0.54, ["recall"] = 0.6, ["f1"] = 0.57,
        };
        var report = new JsonObject
        {
            ["format"] = "kairos.eval",
            ["schema_version"] = 1,
            ["source"] = "predictions.csv",
            ["source_sha256"] = new string('e', 64),
            ["split"] = "test",
            ["overall"] = Metrics(2000, 0.56),
            ["by_session"] = new JsonArray(new JsonObject { ["value"] = "EU", ["metrics"] = Metrics(900, 0.55) }, new JsonObject { ["value"] = "US", ["metrics"] = Metrics(1100, 0.57) }),
        };
        File.WriteAllText(Path.Combine(dir, "metrics.json"), report.ToJsonString());
        File.WriteAllBytes(Path.Combine(dir, "reliability.png"), [0x89, 0x50, 0x4e, 0x47]);
        return dir;
    }

    private static string WriteVerdict(string path, bool passed)
    {
        File.WriteAllText(path, JsonSerializer.Serialize(new { format = "kairos.promotion_verdict", schema_version = 1, passed, candidate = "cand", baseline = "base" }));
        return path;
    }
}
