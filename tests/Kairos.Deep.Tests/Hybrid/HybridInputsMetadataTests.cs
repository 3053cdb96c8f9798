using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Runs;
using Kairos.Deep.Tft;

namespace Kairos.Deep.Tests.Hybrid;

/// <summary>
/// The hybrid's and the TFT's <c>bundle_metadata.json</c> share their input-contract fields (one base record) but each file
/// keeps its own key order, the one it had before the fields were shared: bundle ids hash these files, so a reordering
/// would change the id of an unchanged model.
/// </summary>
public class HybridInputsMetadataTests
{
    private static readonly InputStandardization Standardization = new([0.5, 1.5], [2.0, 3.0], [0.25], [4.0]);

    private static readonly HybridBundleMetadata Hybrid = new()
    {
        ModelVariant = "v10_ctx_gated",
        SupportsContextFeatures = true,
        ExpectedCtxCatDim = 2,
        ExpectedCtxContDim = 2,
        ContextEmbeddingDim = 8,
        ContextCategorical = ["session", "weekday"],
        ContextCardinalities = [3, 5],
        ContextContinuous = ["gap", "range"],
        UsesTreeSignals = true,
        TreeSignals = ["gbdt_p"],
        CalibrationApplied = false,
        SeqLen = 30,
        SequenceFeatures = ["ret_1", "vol_5", "rsi_14"],
        SnapshotFeatures = ["atr", "ema_gap"],
        FeatureContractHash = "c0ffee",
        DatasetId = "ds-123",
        ScalerGroup = "fold_2",
        WeightsFile = "final.pt",
        WeightsSha256 = "ab12",
        Architecture = new HybridModelOptions { DModel = 32, Fusion = FusionKind.Gated },
        InputStandardization = Standardization,
        FusedBranches = ["sequence", "snapshot", "context_categorical", "context_continuous", "tree_signals"],
        GitCommit = "deadbeef",
        CreatedAt = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero),
    };

    private static readonly TftModelMetadata Tft = new()
    {
        ModelVariant = "tft",
        SupportsContextFeatures = true,
        ExpectedCtxCatDim = 2,
        ExpectedCtxContDim = 2,
        ContextCategorical = ["session", "weekday"],
        ContextCardinalities = [3, 5],
        ContextContinuous = ["gap", "range"],
        UsesTreeSignals = false,
        TreeSignals = ["gbdt_p"],
        CalibrationApplied = true,
        SeqLen = 20,
        SequenceFeatures = ["ret_1", "vol_5"],
        SnapshotFeatures = ["atr"],
        StaticVariables = ["atr", "session", "weekday", "gap", "range"],
        FeatureContractHash = "c0ffee",
        DatasetId = "ds-456",
        ScalerGroup = null,
        WeightsFile = "final.pt",
        WeightsSha256 = "cd34",
        Architecture = new TftModelOptions { Hidden = 16, Heads = 2 },
        InputStandardization = Standardization,
        GitCommit = null,
        CreatedAt = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero),
    };

    [Fact]
    public void Serialize_Hybrid_KeepsTheFilesKeyOrder()
    {
        string[] expected =
        [
            "schema_version", "min_reader_version", "model_variant", "supports_context_features", "expected_ctx_cat_dim",
            "expected_ctx_cont_dim", "context_embedding_dim", "context_categorical", "context_cardinalities", "context_continuous",
            "uses_tree_signals", "tree_signals", "calibration_applied", "seq_len", "sequence_features", "snapshot_features",
            "feature_contract_hash", "dataset_id", "scaler_group", "weights_file", "weights_sha256", "architecture",
            "input_standardization", "fused_branches", "git_commit", "created_at",
        ];

        Assert.Equal(expected, Keys(Hybrid));
    }

    [Fact]
    public void Serialize_Tft_KeepsTheFilesKeyOrder()
    {
        string[] expected =
        [
            "schema_version", "min_reader_version", "model_family", "model_variant", "supports_context_features", "expected_ctx_cat_dim",
            "expected_ctx_cont_dim", "context_categorical", "context_cardinalities", "context_continuous",
            "uses_tree_signals", "tree_signals", "calibration_applied", "seq_len", "sequence_features", "snapshot_features",
            "static_variables", "feature_contract_hash", "dataset_id", "scaler_group", "weights_file", "weights_sha256", "architecture",
            "input_standardization", "git_commit", "created_at",
        ];

        Assert.Equal(expected, Keys(Tft));
        Assert.Equal("tft", (string)JsonNode.Parse(JsonSerializer.Serialize(Tft, RunJson.Options))!["model_family"]!);
    }

    [Fact]
    public void ReadBack_EitherFamily_WritesTheSameBytes()
    {
        var dir = Directory.CreateTempSubdirectory("kairos-metadata-");
        try
        {
            var hybridPath = Path.Combine(dir.FullName, "hybrid.json");
            var tftPath = Path.Combine(dir.FullName, "tft.json");
            RunJson.Write(hybridPath, Hybrid);
            RunJson.Write(tftPath, Tft);

            var hybrid = RunJson.Read<HybridBundleMetadata>(hybridPath);
            var tft = RunJson.Read<TftModelMetadata>(tftPath);

            Assert.Equal(File.ReadAllText(hybridPath), JsonSerializer.Serialize(hybrid, RunJson.Options) + "\n");
            Assert.Equal(File.ReadAllText(tftPath), JsonSerializer.Serialize(tft, RunJson.Options) + "\n");
            Assert.Equal(Hybrid.ContextCardinalities, hybrid.ContextCardinalities);
            Assert.Equal(Tft.StaticVariables, tft.StaticVariables);
            Assert.Equal(Hybrid.Architecture, hybrid.Architecture);
            Assert.Equal(Tft.Architecture, tft.Architecture);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Hybrid_HasNoModelFamilyKey_AndReadsAsTheHybridFamily()
    {
        var node = JsonNode.Parse(JsonSerializer.Serialize(Hybrid, RunJson.Options))!.AsObject();

        Assert.False(node.ContainsKey("model_family"));
        Assert.Equal(DeepModelFile.HybridFamily, Hybrid.ModelFamily);
    }

    private static IEnumerable<string> Keys<T>(T metadata) =>
        JsonNode.Parse(JsonSerializer.Serialize(metadata, RunJson.Options))!.AsObject().Select(p => p.Key).ToList();
}
