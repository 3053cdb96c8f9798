using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Bundles;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Runtime;
using Kairos.Errors;
using Kairos.Onnx;
using static TorchSharp.torch;
using Kairos.Artifacts;

namespace Kairos.Deep.Onnx;

/// <summary>
/// <c>kairos bundle export --format onnx</c>: a verified bundle's models as ONNX files in a new directory: one
/// <c>trees_&lt;group&gt;.onnx</c> per session group (<see cref="TreeSignalGraph"/>: LightGBM ensemble, per-session
/// calibrator, the five tree signals), <c>hybrid.onnx</c> (<see cref="HybridOnnxGraph"/>) when the bundle has a hybrid model,
/// and <c>onnx_export.json</c> describing files, inputs, outputs and how to chain them. Every model carries the bundle id, the
/// feature contract hash, its feature names, scalers and input layout in <c>metadata_props</c>. Written into a temporary
/// sibling directory renamed into place at the end: the output directory is complete or absent.
/// </summary>
public static class BundleOnnxExporter
{
    public const string ManifestFile = "onnx_export.json";
    public const string Format = "kairos.onnx_export";
    public const int FormatVersion = 1;
    public const string HybridFile = "hybrid.onnx";

    private static JsonSerializerOptions Indented => ArtifactJson.Options;

    public static OnnxExport Export(string bundleDirectory, string outDirectory, string producerVersion)
    {
        var final = Path.GetFullPath(outDirectory);
        if (File.Exists(final) || (Directory.Exists(final) && Directory.EnumerateFileSystemEntries(final).Any()))
            throw new DataException(final, "export-exists", "the output directory exists and is not empty; choose a new directory");
        var source = Path.GetFullPath(bundleDirectory).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        if ((final + Path.DirectorySeparatorChar).StartsWith(source, StringComparison.Ordinal))
            throw new DataException(final, "export-inside-bundle", "the output directory lies inside the bundle (a bundle holds only its manifest's files); choose a directory outside it");
        var bundle = Bundle.Open(bundleDirectory, new BundleVerifyOptions { ContractAuthority = RunningFeatureContract.Instance });
        var meta = bundle.Metadata;
        var scalers = TrainScalers(bundle);
        var common = CommonMetadata(meta);

        var models = new List<(string File, string Component, byte[] Bytes, JsonObject Description)>();
        foreach (var group in TreesOnnxExporter.Export(Path.GetDirectoryName(bundle.PathOf($"{meta.Components["trees"]}/gbdt.json"))!, common, producerVersion))
            models.Add((group.FileName, "trees", group.Model, group.Description));
        if (meta.Components.TryGetValue("hybrid", out var hybrid))
            models.Add(ExportHybrid(bundle, hybrid, common, scalers, producerVersion));

        var parent = Path.GetDirectoryName(final)!;
        var temporary = ArtifactDirectory.CreateTemporarySibling(parent, "onnx-" + meta.BundleId);
        try
        {
            var files = new List<OnnxExportFile>();
            var entries = new JsonArray();
            foreach (var (file, component, bytes, description) in models)
            {
                ArtifactDirectory.WriteFile(Path.Combine(temporary, file), bytes);
                var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
                files.Add(new OnnxExportFile(file, component, bytes.Length, sha));
                description["bytes"] = bytes.Length;
                description["sha256"] = sha;
                entries.Add(description);
            }
            var manifest = new JsonObject
            {
                ["format"] = Format,
                ["format_version"] = FormatVersion,
                ["min_reader_version"] = 1,
                ["bundle_id"] = meta.BundleId,
                ["bundle_created_at"] = meta.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
                ["feature_contract_hash"] = meta.FeatureContractHash,
                ["model_variant"] = meta.ModelVariant,
                ["producer"] = "kairos " + producerVersion,
                ["onnx"] = new JsonObject { ["ir_version"] = OnnxGraphBuilder.IrVersion, ["opset"] = OnnxGraphBuilder.Opset, ["ai.onnx.ml"] = OnnxGraphBuilder.MlOpset },
                ["sessions"] = new JsonArray(meta.Sessions.Select(s => (JsonNode)s!).ToArray()),
                ["scalers"] = scalers.DeepClone(),
                ["files"] = entries,
                ["pipeline"] = Pipeline(models.Any(m => m.Component == "hybrid")),
            };
            ArtifactDirectory.WriteFile(Path.Combine(temporary, ManifestFile), manifest.ToJsonString(Indented) + "\n");
            if (Directory.Exists(final)) Directory.Delete(final);
            ArtifactDirectory.Publish(temporary, final);
            return new OnnxExport(final, meta.BundleId, meta.FeatureContractHash, files);
        }
        catch
        {
            ArtifactDirectory.Discard(temporary);
            throw;
        }
    }

    /// <summary>
    /// The bundle's hybrid model as ONNX bytes (what <c>hybrid.onnx</c> of an export holds), for running it in ONNX Runtime
    /// without writing a file; the bundle must have a hybrid component.
    /// </summary>
    public static byte[] HybridModelBytes(Bundle bundle, string producerVersion)
    {
        if (!bundle.Metadata.Components.TryGetValue("hybrid", out var component))
            throw new VerificationException($"bundle {bundle.Directory}", ["bundle_metadata.json lists no 'hybrid' component"]);
        return ExportHybrid(bundle, component, CommonMetadata(bundle.Metadata), TrainScalers(bundle), producerVersion).Item3;
    }

    private static List<KeyValuePair<string, string>> CommonMetadata(BundleMetadata meta) =>
    [
        new("kairos.format", Format),
        new("kairos.bundle_id", meta.BundleId),
        new("kairos.feature_contract_hash", meta.FeatureContractHash),
        new("kairos.model_variant", meta.ModelVariant),
    ];

    private static JsonNode TrainScalers(Bundle bundle)
    {
        var relative = bundle.Metadata.Components["dataset"];
        var dataset = JsonNode.Parse(File.ReadAllText(bundle.PathOf(relative))) as JsonObject
            ?? throw new DataException(relative, "dataset-json", "dataset.json is not a JSON object");
        return dataset["scalers"]?["train"]?.DeepClone()
            ?? throw new DataException(relative, "dataset-json", "dataset.json has no train scalers");
    }

    private static (string, string, byte[], JsonObject) ExportHybrid(Bundle bundle, string component, IReadOnlyList<KeyValuePair<string, string>> common,
        JsonNode scalers, string producerVersion)
    {
        var metadataPath = bundle.PathOf($"{component}/{HybridModelFile.MetadataFile}");
        var trained = HybridModelFile.ReadMetadata(metadataPath);
        if (trained.FeatureContractHash != bundle.Metadata.FeatureContractHash)
            throw new VerificationException($"bundle {bundle.Directory}", [$"{component}/{HybridModelFile.MetadataFile} was trained for contract {trained.FeatureContractHash}, the bundle's is {bundle.Metadata.FeatureContractHash}"]);
        TorchRuntime.EnsureAvailable();
        using var dropout = new Generator();
        using var model = HybridModelFile.Load(trained, bundle.PathOf($"{component}/{trained.WeightsFile}"), dropout);
        model.eval();
        var schema = model.Schema;
        JsonArray Names(IEnumerable<string> names) => new(names.Select(n => (JsonNode)n!).ToArray());
        var inputs = new JsonObject
        {
            ["window"] = new JsonObject
            {
                ["shape"] = new JsonArray("N", schema.SequenceLength, schema.SequenceFeatures), ["type"] = "float32",
                ["columns"] = Names(trained.SequenceFeatures),
                ["scaling"] = "(x - scalers.sequence.mean) / scalers.sequence.std per column; rows oldest first, the decision bar last",
            },
            ["snapshot"] = new JsonObject
            {
                ["shape"] = new JsonArray("N", schema.SnapshotFeatures), ["type"] = "float32", ["columns"] = Names(trained.SnapshotFeatures),
                ["scaling"] = "(x - scalers.snapshot.mean) / scalers.snapshot.std",
            },
            ["context_categorical"] = new JsonObject
            {
                ["shape"] = new JsonArray("N", schema.ContextCardinalities.Count), ["type"] = "int64", ["columns"] = Names(trained.ContextCategorical),
                ["cardinalities"] = new JsonArray(schema.ContextCardinalities.Select(c => (JsonNode)c).ToArray()),
                ["scaling"] = "none: integer ids in [0, cardinality)",
            },
            ["context_continuous"] = new JsonObject
            {
                ["shape"] = new JsonArray("N", schema.ContextContinuous), ["type"] = "float32", ["columns"] = Names(trained.ContextContinuous),
                ["scaling"] = "(x - scalers.context.mean) / scalers.context.std (the model standardises again inside, as trained)",
            },
        };
        if (schema.TreeSignals > 0)
            inputs["tree_signals"] = new JsonObject
            {
                ["shape"] = new JsonArray("N", schema.TreeSignals), ["type"] = "float32", ["columns"] = Names(trained.TreeSignals),
                ["scaling"] = "none: the trees_<group>.onnx outputs of these names, cast to float32",
            };
        var metadata = new List<KeyValuePair<string, string>>(common)
        {
            new("kairos.component", "hybrid"),
            new("kairos.input_layout", inputs.ToJsonString()),
            new("kairos.scalers", scalers.ToJsonString()),
            new("kairos.sequence_features", Names(trained.SequenceFeatures).ToJsonString()),
            new("kairos.snapshot_features", Names(trained.SnapshotFeatures).ToJsonString()),
            new("kairos.context_categorical", Names(trained.ContextCategorical).ToJsonString()),
            new("kairos.context_continuous", Names(trained.ContextContinuous).ToJsonString()),
            new("kairos.tree_signals", Names(trained.TreeSignals).ToJsonString()),
            new("kairos.seq_len", schema.SequenceLength.ToString(CultureInfo.InvariantCulture)),
            new("kairos.weights_sha256", trained.WeightsSha256),
        };
        var bytes = HybridOnnxGraph.Build(model, producerVersion, metadata);
        var description = new JsonObject
        {
            ["file"] = HybridFile,
            ["component"] = "hybrid",
            ["source"] = $"{component}/{trained.WeightsFile}",
            ["inputs"] = inputs,
            ["outputs"] = new JsonObject
            {
                ["p_long"] = new JsonObject { ["shape"] = new JsonArray("N"), ["type"] = "float32", ["meaning"] = "sigmoid of the direction head: Kairos's p_long" },
                ["p_early_move"] = new JsonObject { ["shape"] = new JsonArray("N"), ["type"] = "float32", ["meaning"] = "sigmoid of the early-move head" },
                ["quality"] = new JsonObject { ["shape"] = new JsonArray("N"), ["type"] = "float32", ["meaning"] = "quality head: MFE - MAE in ATR units" },
            },
            ["post_processing"] = "none",
        };
        return (HybridFile, "hybrid", bytes, description);
    }

    private static JsonArray Pipeline(bool hybrid)
    {
        var steps = new JsonArray
        {
            "1. Build the bar's features as Kairos does (README: Datasets; the inputs' columns and scalers are listed per file).",
            "2. Run trees_<group>.onnx of the bar's session group with features (raw tree features) and session_id: p_hat, margin, p_cal, entropy, uncertainty_score.",
        };
        if (hybrid)
            steps.Add("3. Run hybrid.onnx with the scaled window, snapshot, context and tree_signals = the trees' outputs in the order of its tree_signals columns (float32): p_long, p_early_move, quality.");
        return steps;
    }
}
