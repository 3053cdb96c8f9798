using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Bundles;

namespace Kairos.Tests.Bundles;

/// <summary>
/// Builds small, complete bundle drafts from component files written in code, and a contract authority
/// whose "running feature code" can be told to produce a different contract.
/// </summary>
internal static class TestBundles
{
    public const string ContractJson = """{"contract_version":1,"seq_len":4,"sequence_features":[{"name":"r1"},{"name":"r2"},{"name":"r3"}],"snapshot_features":[{"name":"a"},{"name":"b"},{"name":"c"},{"name":"d"}],"context_categorical":[{"name":"session_id"},{"name":"trend_regime_id"},{"name":"vol_regime_id"},{"name":"atr_bucket"},{"name":"spread_bucket"}],"context_continuous":[{"name":"atr_bps"},{"name":"spread_bps"}]}""";

    public static string ContractHash => TestContractAuthority.Hash(ContractJson);

    public static readonly TestContractAuthority Authority = new(null);

    public static BundleDraft Draft(string workDir, string? hybridHash = null, int weightsBytes = 4096)
    {
        var hash = ContractHash;
        var sources = Path.Combine(workDir, "sources");
        Directory.CreateDirectory(sources);
        string Write(string name, string text)
        {
            var path = Path.Combine(sources, name.Replace('/', '_'));
            File.WriteAllText(path, text);
            return path;
        }
        var weights = Path.Combine(sources, "weights.bin");
        var bytes = new byte[weightsBytes];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(weights, bytes);

        var files = new List<BundleSourceFile>
        {
            new(Write("dataset.json", $$"""{"dataset_id":"ds01","feature_contract_hash":"{{hash}}","seq_len":4}"""), "dataset/dataset.json"),
            new(Write("model_EU.txt", "tree\nversion=v4\n"), "trees/model_EU.txt"),
            new(Write("model_US.txt", "tree\nversion=v4\nnum_leaves=3\n"), "trees/model_US.txt"),
            new(Write("cal_EU.json", """{"method":"isotonic","x":[0,1],"y":[0,1]}"""), "trees/calibrators/EU.json"),
            new(Write("cal_US.json", """{"method":"isotonic","x":[0,0.5,1],"y":[0,0.4,1]}"""), "trees/calibrators/US.json"),
            new(Write("trees_meta.json", $$"""{"feature_contract_hash":"{{hash}}","sessions":["EU","US"]}"""), "trees/trees_metadata.json"),
            new(weights, "hybrid/weights.bin"),
            new(Write("hybrid_meta.json", $$"""{"model_variant":"v10_ctx","supports_context_features":true,"expected_ctx_cat_dim":5,"expected_ctx_cont_dim":2,"seq_len":4,"feature_contract_hash":"{{hybridHash ?? hash}}"}"""), "hybrid/bundle_metadata.json"),
            new(Write("metrics.json", """{"pr_auc":0.61}"""), "evaluation/metrics.json"),
            new(Write("verdict.json", """{"passed":true}"""), "evaluation/gate_verdict.json"),
        };
        var lineage = new BundleLineage
        {
            SnapshotId = "snap01",
            DatasetId = "ds01",
            TreesId = "trees01",
            RunId = "run01",
            ConfigHash = new string('a', 64),
            ConfigHashes = new Dictionary<string, string> { ["dataset"] = "d1", ["hybrid"] = "h1" },
            GitCommit = "0123456789abcdef0123456789abcdef01234567",
        };
        var metadata = new BundleMetadata
        {
            SchemaVersion = 0,
            MinReaderVersion = 0,
            BundleId = "",
            CreatedAt = DateTimeOffset.UnixEpoch,
            ModelVariant = "v10_ctx",
            SupportsContextFeatures = true,
            ExpectedCtxCatDim = 5,
            ExpectedCtxContDim = 2,
            SeqLen = 4,
            NSeqFeatures = 3,
            NSnapFeatures = 4,
            FeatureContractHash = hash,
            Sessions = ["EU", "US"],
            CalibrationRequired = true,
            CalibrationMethod = "isotonic",
            Components = new Dictionary<string, string> { ["dataset"] = "dataset/dataset.json", ["trees"] = "trees", ["hybrid"] = "hybrid", ["evaluation"] = "evaluation" },
            Lineage = lineage,
        };
        return new BundleDraft { Files = files, FeatureContractJson = ContractJson, Metadata = metadata, Card = Card(hash, lineage) };
    }

    public static ModelCard Card(string contractHash, BundleLineage lineage) => new()
    {
        Version = "2",
        ModelName = "test-v10_ctx",
        ModelVariant = "v10_ctx",
        BundleId = "0000000000000000",
        CreatedAt = new DateTimeOffset(2026, 1, 6, 12, 0, 0, TimeSpan.Zero),
        FeatureContractHash = contractHash,
        Train = new ModelCardTraining
        {
            SnapshotId = "snap01",
            DatasetId = "ds01",
            Range = new ModelCardRange { Start = new DateTimeOffset(2025, 1, 2, 0, 0, 0, TimeSpan.Zero), End = new DateTimeOffset(2025, 9, 30, 0, 0, 0, TimeSpan.Zero) },
            Rows = 1000,
            ClassBalance = new ModelCardClassBalance { Pos = 480, Neg = 520 },
            Symbols = ["EURUSD"],
            BarSize = "M5",
            Splits = [new ModelCardSplit { Name = "train", Rows = 1000, PositiveRate = 0.48 }, new ModelCardSplit { Name = "test", Rows = 200 }],
        },
        Metrics = new ModelCardMetrics { Split = "test", Samples = 200, PrAuc = 0.61, AucRoc = 0.58, Brier = 0.24, LogLoss = 0.68, CalibrationEce = 0.03, Accuracy = 0.56 },
        LeakageChecks = new ModelCardLeakageChecks { FutureInfo = true, TimeSplit = true, FeatureAudit = true },
        FeatureImportance = [new FeatureImportance { Name = "a", Gain = 12.5 }],
        Hyperparameters = new Dictionary<string, IReadOnlyDictionary<string, JsonElement>>
        {
            ["trees"] = new Dictionary<string, JsonElement> { ["learning_rate"] = JsonSerializer.SerializeToElement(0.05), ["num_leaves"] = JsonSerializer.SerializeToElement(31) },
        },
        Notes = "test bundle",
        Lineage = lineage,
        Calibration = new ModelCardCalibration
        {
            Required = true,
            Method = "isotonic",
            PerSession =
            [
                new SessionCalibration { Session = "EU", Method = "isotonic", Path = "trees/calibrators/EU.json" },
                new SessionCalibration { Session = "US", Method = "isotonic", Path = "trees/calibrators/US.json" },
            ],
        },
        Eligibility = new ModelCardEligibility { Rate = 0.5, TotalBars = 2400, EligibleBars = 1200, ByReason = new Dictionary<string, long> { ["warmup"] = 100, ["blocked_session"] = 1100 } },
        Gate = new ModelCardGate { Verdict = "passed", File = "evaluation/gate_verdict.json" },
    };

    public static BuiltBundle Build(string workDir, BundleDraft? draft = null) =>
        BundleBuilder.Build(draft ?? Draft(workDir), new BundleBuildOptions { OutputRoot = Path.Combine(workDir, "bundles"), ContractAuthority = Authority });

    public static BundleVerification Verify(string dir, string? expectedHash = null, IFeatureContractAuthority? authority = null) =>
        BundleVerifier.Verify(dir, new BundleVerifyOptions { ContractAuthority = authority ?? Authority, ExpectedContractHash = expectedHash });

    /// <summary>Rewrites a bundle's manifest after tampering, so only the check under test can fail.</summary>
    public static void Remanifest(string bundleDir, Func<IReadOnlyList<ManifestEntry>, IEnumerable<ManifestEntry>>? edit = null)
    {
        var manifestPath = Path.Combine(bundleDir, BundleFormat.ManifestFile);
        File.Delete(manifestPath);
        var manifest = BundleManifest.Create(bundleDir);
        if (edit is not null) manifest = BundleManifest.FromEntries(edit(manifest.Files));
        File.WriteAllText(manifestPath, BundleJson.Serialize(manifest));
    }

    /// <summary>Edits the model card JSON of a built bundle and re-manifests it.</summary>
    public static void EditCard(string bundleDir, Action<JsonObject> edit)
    {
        var path = Path.Combine(bundleDir, BundleFormat.ModelCardFile);
        var node = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(node);
        File.WriteAllText(path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        Remanifest(bundleDir);
    }
}

/// <summary>Hashes compact JSON with sorted keys; the "running code" may be told to produce another hash.</summary>
internal sealed class TestContractAuthority(string? runtimeHash) : IFeatureContractAuthority
{
    public static string Hash(string json)
    {
        var canonical = Canonical(JsonNode.Parse(json));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..16];
    }

    public string HashOf(string contractJson) => Hash(contractJson);

    public string RuntimeHashFor(string contractJson, string datasetJson) => runtimeHash ?? Hash(contractJson);

    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => JsonSerializer.Serialize(p.Key) + ":" + Canonical(p.Value))) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };
}
