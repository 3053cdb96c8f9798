using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Bundles;
using Kairos.Deep.Bundles;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Lstm;
using Kairos.Deep.Runtime;
using Kairos.Deep.Tft;
using Kairos.Errors;
using Kairos.Onnx;
using static TorchSharp.torch;
using Kairos.Artifacts;

namespace Kairos.Deep.Onnx;

/// <summary>
/// <c>kairos bundle export --format onnx</c>: a verified bundle's models as ONNX files in a new directory: one
/// <c>trees_&lt;group&gt;.onnx</c> per session group (<see cref="TreeSignalGraph"/>: LightGBM ensemble, per-session
/// calibrator, the five tree signals), the bundle's deep model: <c>hybrid.onnx</c> (<see cref="HybridOnnxGraph"/>) or, for a
/// TFT, <c>tft.onnx</c> (<see cref="TftOnnxGraph"/>), for an LSTM, <c>lstm.onnx</c> (<see cref="LstmOnnxGraph"/>), with the same inputs and heads, and <c>onnx_export.json</c> describing files, inputs, outputs and how to chain them. Every model carries the bundle id, the
/// feature contract hash, its feature names, scalers and input layout in <c>metadata_props</c>. Written into a temporary
/// sibling directory renamed into place at the end: the output directory is complete or absent.
/// </summary>
public static class BundleOnnxExporter
{
    public const string ManifestFile = "onnx_export.json";
    public const string Format = "kairos.onnx_export";
    public const int FormatVersion = 1;
    public const string HybridFile = "hybrid.onnx";
    /// <summary>The file of a bundle's deep model when it is a TFT.</summary>
    public const string TftFile = "tft.onnx";
    /// <summary>The file of a bundle's deep model when it is an LSTM classifier.</summary>
    public const string LstmFile = "lstm.onnx";

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
            models.Add(ExportDeep(bundle, hybrid, common, scalers, producerVersion));

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
                ["pipeline"] = Pipeline(models.FirstOrDefault(m => m.Component == "hybrid").File),
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
    /// The bundle's deep model (the hybrid, a TFT or an LSTM) as ONNX bytes (what <c>hybrid.onnx</c>, <c>tft.onnx</c> or <c>lstm.onnx</c> of an export
    /// holds), for running it in ONNX Runtime without writing a file; the bundle must have a hybrid component.
    /// </summary>
    public static byte[] HybridModelBytes(Bundle bundle, string producerVersion)
    {
        if (!bundle.Metadata.Components.TryGetValue("hybrid", out var component))
            throw new VerificationException($"bundle {bundle.Directory}", ["bundle_metadata.json lists no 'hybrid' component"]);
        return ExportDeep(bundle, component, CommonMetadata(bundle.Metadata), TrainScalers(bundle), producerVersion).Item3;
    }

    /// <summary>
    /// The file an export of the bundle at <paramref name="bundleDirectory"/> holds its deep model in: <see cref="TftFile"/>
    /// when the bundle's hybrid component is a TFT, <see cref="LstmFile"/> when it is an LSTM, else <see cref="HybridFile"/>.
    /// </summary>
    public static string DeepModelFile(string bundleDirectory, BundleMetadata metadata)
    {
        if (!metadata.Components.TryGetValue("hybrid", out var component)) return HybridFile;
        var path = Path.Combine(bundleDirectory, component, HybridModelFile.MetadataFile);
        if (TftModelFile.IsTft(path)) return TftFile;
        return Runs.DeepModelFile.Family(path) == LstmModelMetadata.Family ? LstmFile : HybridFile;
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

    /// <summary>The names and shapes a deep model's export describes (the hybrid's and the TFT's metadata record them alike).</summary>
    private sealed record DeepModel(string Family, string File, HybridInputSchema Schema, IReadOnlyList<string> SequenceFeatures, IReadOnlyList<string> SnapshotFeatures,
        IReadOnlyList<string> ContextCategorical, IReadOnlyList<string> ContextContinuous, IReadOnlyList<string> TreeSignals, string FeatureContractHash,
        string WeightsFile, string WeightsSha256, IReadOnlyList<string>? StaticVariables)
    {
        /// <summary>An LSTM's own features (the window columns it reads, in its input order); null for the other families.</summary>
        public IReadOnlyList<string>? LstmFeatures { get; init; }
    }

    /// <summary>
    /// The bundle's deep model (component <c>hybrid</c>: the hybrid, or a TFT or LSTM when its metadata says <c>model_family: tft</c>
    /// or <c>lstm</c>) as ONNX.
    /// </summary>
    private static (string, string, byte[], JsonObject) ExportDeep(Bundle bundle, string component, IReadOnlyList<KeyValuePair<string, string>> common,
        JsonNode scalers, string producerVersion)
    {
        var metadataPath = bundle.PathOf($"{component}/{HybridModelFile.MetadataFile}");
        DeepModel model;
        Func<Generator, IReadOnlyList<KeyValuePair<string, string>>, byte[]> build;
        string WeightsPath(string file) => bundle.PathOf($"{component}/{file}");
        if (Runs.DeepModelFile.Family(metadataPath) == LstmModelMetadata.Family)
        {
            // The classifier behind the hybrid's inputs, as LstmBundleModule feeds it: the dataset's window, of which it reads its own columns.
            var lstm = LstmPredictor.ReadMetadata(metadataPath);
            var columns = LstmBundleModule.Columns(lstm, metadataPath);
            var lstmSchema = new HybridInputSchema(lstm.SeqLen, lstm.InputSequenceFeatures.Count, lstm.SnapshotFeatures.Count,
                lstm.ContextCategorical.Select(_ => 1).ToList(), lstm.ContextContinuous.Count, 0);
            model = new DeepModel(LstmModelMetadata.Family, LstmFile, lstmSchema, lstm.InputSequenceFeatures, lstm.SnapshotFeatures, lstm.ContextCategorical,
                lstm.ContextContinuous, [], lstm.FeatureContractHash, lstm.WeightsFile, lstm.WeightsSha256, null) { LstmFeatures = lstm.SequenceFeatures };
            build = (dropout, metadata) =>
            {
                using var trained = Runs.DeepModelFile.Load(lstm, WeightsPath(lstm.WeightsFile), () => LstmPredictor.Build(lstm, dropout));
                return LstmOnnxGraph.Build(trained, lstm.Encoder, lstm.HeadHidden, lstmSchema, columns, producerVersion, metadata);
            };
        }
        else if (TftModelFile.IsTft(metadataPath))
        {
            var tft = TftModelFile.ReadMetadata(metadataPath);
            model = new DeepModel(TftModelMetadata.Family, TftFile, tft.Schema(), tft.SequenceFeatures, tft.SnapshotFeatures, tft.ContextCategorical, tft.ContextContinuous,
                tft.UsesTreeSignals ? tft.TreeSignals : [], tft.FeatureContractHash, tft.WeightsFile, tft.WeightsSha256, tft.StaticVariables);
            build = (dropout, metadata) =>
            {
                using var trained = TftModelFile.Load(tft, WeightsPath(tft.WeightsFile), dropout);
                return TftOnnxGraph.Build(trained, producerVersion, metadata);
            };
        }
        else
        {
            var hybrid = HybridModelFile.ReadMetadata(metadataPath);
            model = new DeepModel("hybrid", HybridFile, hybrid.Schema(), hybrid.SequenceFeatures, hybrid.SnapshotFeatures, hybrid.ContextCategorical, hybrid.ContextContinuous,
                hybrid.TreeSignals, hybrid.FeatureContractHash, hybrid.WeightsFile, hybrid.WeightsSha256, null);
            build = (dropout, metadata) =>
            {
                using var trained = HybridModelFile.Load(hybrid, WeightsPath(hybrid.WeightsFile), dropout);
                trained.eval();
                return HybridOnnxGraph.Build(trained, producerVersion, metadata);
            };
        }
        if (model.FeatureContractHash != bundle.Metadata.FeatureContractHash)
            throw new VerificationException($"bundle {bundle.Directory}", [$"{component}/{HybridModelFile.MetadataFile} was trained for contract {model.FeatureContractHash}, the bundle's is {bundle.Metadata.FeatureContractHash}"]);
        var schema = model.Schema;
        JsonArray Names(IEnumerable<string> names) => new(names.Select(n => (JsonNode)n!).ToArray());
        var inputs = new JsonObject
        {
            ["window"] = new JsonObject
            {
                ["shape"] = new JsonArray("N", schema.SequenceLength, schema.SequenceFeatures), ["type"] = "float32",
                ["columns"] = Names(model.SequenceFeatures),
                ["scaling"] = "(x - scalers.sequence.mean) / scalers.sequence.std per column; rows oldest first, the decision bar last",
            },
            ["snapshot"] = new JsonObject
            {
                ["shape"] = new JsonArray("N", schema.SnapshotFeatures), ["type"] = "float32", ["columns"] = Names(model.SnapshotFeatures),
                ["scaling"] = "(x - scalers.snapshot.mean) / scalers.snapshot.std",
            },
            ["context_categorical"] = new JsonObject
            {
                ["shape"] = new JsonArray("N", schema.ContextCardinalities.Count), ["type"] = "int64", ["columns"] = Names(model.ContextCategorical),
                ["cardinalities"] = new JsonArray(schema.ContextCardinalities.Select(c => (JsonNode)c).ToArray()),
                ["scaling"] = "none: integer ids in [0, cardinality)",
            },
            ["context_continuous"] = new JsonObject
            {
                ["shape"] = new JsonArray("N", schema.ContextContinuous), ["type"] = "float32", ["columns"] = Names(model.ContextContinuous),
                ["scaling"] = "(x - scalers.context.mean) / scalers.context.std (the model standardises again inside, as trained)",
            },
        };
        if (model.LstmFeatures is { } lstmFeatures)
        {
            // The LSTM reads its own columns of the window and nothing else; the other inputs are declared (the same feeds as
            // every deep model's) but not read, and its context cardinalities are not recorded.
            inputs["window"]!["model_columns"] = Names(lstmFeatures);
            foreach (var unread in new[] { "snapshot", "context_categorical", "context_continuous" }) inputs[unread]!["read"] = false;
            inputs["context_categorical"]!.AsObject().Remove("cardinalities");
            inputs["context_categorical"]!["scaling"] = "none: integer ids (not read by the LSTM)";
        }
        if (schema.TreeSignals > 0)
            inputs["tree_signals"] = new JsonObject
            {
                ["shape"] = new JsonArray("N", schema.TreeSignals), ["type"] = "float32", ["columns"] = Names(model.TreeSignals),
                ["scaling"] = "none: the trees_<group>.onnx outputs of these names, cast to float32",
            };
        var metadata = new List<KeyValuePair<string, string>>(common)
        {
            new("kairos.component", "hybrid"),
            new("kairos.model_family", model.Family),
            new("kairos.input_layout", inputs.ToJsonString()),
            new("kairos.scalers", scalers.ToJsonString()),
            new("kairos.sequence_features", Names(model.SequenceFeatures).ToJsonString()),
            new("kairos.snapshot_features", Names(model.SnapshotFeatures).ToJsonString()),
            new("kairos.context_categorical", Names(model.ContextCategorical).ToJsonString()),
            new("kairos.context_continuous", Names(model.ContextContinuous).ToJsonString()),
            new("kairos.tree_signals", Names(model.TreeSignals).ToJsonString()),
            new("kairos.seq_len", schema.SequenceLength.ToString(CultureInfo.InvariantCulture)),
            new("kairos.weights_sha256", model.WeightsSha256),
        };
        if (model.LstmFeatures is { } lstmColumns) metadata.Add(new("kairos.lstm_features", Names(lstmColumns).ToJsonString()));
        if (model.StaticVariables is { } statics) metadata.Add(new("kairos.static_variables", Names(statics).ToJsonString()));
        TorchRuntime.EnsureAvailable();
        byte[] bytes;
        using (var dropout = new Generator())
            bytes = build(dropout, metadata);
        JsonObject Output(JsonArray shape, string meaning) => new() { ["shape"] = shape, ["type"] = "float32", ["meaning"] = meaning };
        var outputs = new JsonObject
        {
            ["p_long"] = Output(new JsonArray("N"), "sigmoid of the direction head: Kairos's p_long"),
            ["p_early_move"] = Output(new JsonArray("N"), "sigmoid of the early-move head"),
            ["quality"] = Output(new JsonArray("N"), "quality head: MFE - MAE in ATR units"),
        };
        if (model.LstmFeatures is not null)
        {
            outputs["p_long"] = Output(new JsonArray("N"), "sigmoid of the LSTM classifier's logit: Kairos's p_long");
            outputs["p_early_move"] = Output(new JsonArray("N"), "NaN: the LSTM has no early-move head (as Kairos's bundle scorer gives it)");
            outputs["quality"] = Output(new JsonArray("N"), "NaN: the LSTM has no quality head (as Kairos's bundle scorer gives it)");
        }
        if (model.StaticVariables is { } names)
        {
            outputs["static_weights"] = Output(new JsonArray("N", names.Count), "static variable-selection weights in kairos.static_variables order, summing to 1");
            outputs["sequence_weights"] = Output(new JsonArray("N", schema.SequenceLength, schema.SequenceFeatures), "sequence variable-selection weights per bar (window columns), summing to 1 over the columns");
            outputs["attention"] = Output(new JsonArray("N", schema.SequenceLength), "the decision bar's head-averaged attention over the window, oldest first (the last is the decision bar)");
        }
        var description = new JsonObject
        {
            ["file"] = model.File,
            ["component"] = "hybrid",
            ["model_family"] = model.Family,
            ["source"] = $"{component}/{model.WeightsFile}",
            ["inputs"] = inputs,
            ["outputs"] = outputs,
            ["post_processing"] = "none",
        };
        if (model.StaticVariables is { } staticNames) description["static_variables"] = Names(staticNames);
        if (model.LstmFeatures is { } modelColumns) description["lstm_features"] = Names(modelColumns);
        return (model.File, "hybrid", bytes, description);
    }

    private static JsonArray Pipeline(string? deepModelFile)
    {
        var steps = new JsonArray
        {
            "1. Build the bar's features as Kairos does (README: Datasets; the inputs' columns and scalers are listed per file).",
            "2. Run trees_<group>.onnx of the bar's session group with features (raw tree features) and session_id: p_hat, margin, p_cal, entropy, uncertainty_score.",
        };
        if (deepModelFile is not null)
            steps.Add($"3. Run {deepModelFile} with the scaled window, snapshot, context and tree_signals = the trees' outputs in the order of its tree_signals columns (float32): p_long, p_early_move, quality.");
        return steps;
    }
}
