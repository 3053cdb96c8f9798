using Kairos.Artifacts;
using System.Security.Cryptography;
using System.Text.Json;
using Kairos.Deep.Runs;
using Kairos.Deep.Runtime;
using Kairos.Errors;
using static TorchSharp.torch;

namespace Kairos.Deep.Hybrid;

/// <summary>
/// Reads a trained hybrid model back: <c>bundle_metadata.json</c> (architecture, input shapes, standardisation)
/// and the weights it names, in a run directory or a bundle's <c>hybrid/</c> directory. Used by every inference
/// path (offline predictions, replay, latency) so that they build the model the same way.
/// </summary>
internal static class HybridModelFile
{
    public const string MetadataFile = "bundle_metadata.json";

    /// <summary>The newest <c>bundle_metadata.json</c> schema this code reads.</summary>
    public const int ReaderVersion = 1;

    public static HybridBundleMetadata ReadMetadata(string path)
    {
        if (!File.Exists(path)) throw new DataException(path, "hybrid-metadata-missing", $"no {MetadataFile}: not a hybrid run directory");
        if (Tft.TftModelFile.Family(path) is { } family and not "hybrid")
            throw new DataException(path, null, "model_family", "not-a-hybrid",
                $"the model is a {family}, not the hybrid: this reader (the hybrid predictor, the managed kernel, the ONNX export) takes the hybrid only");
        HybridBundleMetadata metadata;
        try
        {
            metadata = RunJson.Read<HybridBundleMetadata>(path);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new DataException(path, "hybrid-metadata", $"cannot read the hybrid model's metadata: {e.Message}", e);
        }
        ArtifactVersion.EnsureReadable(path, "hybrid model", metadata.MinReaderVersion, ReaderVersion);
        return metadata;
    }

    /// <summary>The input shapes the metadata describes.</summary>
    public static HybridInputSchema Schema(HybridBundleMetadata metadata) => new(
        metadata.SeqLen, metadata.SequenceFeatures.Count, metadata.SnapshotFeatures.Count, metadata.ContextCardinalities,
        metadata.ContextContinuous.Count, metadata.UsesTreeSignals ? metadata.TreeSignals.Count : 0);

    /// <summary>
    /// Builds the model <paramref name="metadata"/> describes and loads <paramref name="weightsPath"/> into it (strict),
    /// after checking the file's SHA-256 against <c>weights_sha256</c>; eval mode. <paramref name="dropout"/> is only held.
    /// </summary>
    public static HybridModel Load(HybridBundleMetadata metadata, string weightsPath, Generator dropout)
    {
        TorchRuntime.EnsureAvailable();
        if (!File.Exists(weightsPath)) throw new DataException(weightsPath, "hybrid-weights-missing", "the weights file named by bundle_metadata.json (weights_file) is missing");
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(weightsPath)));
        if (!string.Equals(sha, metadata.WeightsSha256, StringComparison.OrdinalIgnoreCase))
            throw new VerificationException(weightsPath, [$"SHA-256 is {sha}, bundle_metadata.json (weights_sha256) says {metadata.WeightsSha256}"]);
        var schema = Schema(metadata);
        var problems = schema.Problems();
        if (problems.Count > 0) throw new DataException(weightsPath, "hybrid-metadata", "bundle_metadata.json describes no valid model: " + string.Join("; ", problems));
        var model = new HybridModel(schema, metadata.Architecture, metadata.InputStandardization, dropout);
        try
        {
            model.load(weightsPath);
            model.eval();
            return model;
        }
        catch (Exception e) when (e is not KairosException)
        {
            model.Dispose();
            throw new DataException(weightsPath, "hybrid-weights", $"the weights do not fit the model bundle_metadata.json describes: {e.Message}", e);
        }
    }
}
