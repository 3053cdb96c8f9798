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
    public const string MetadataFile = DeepModelFile.MetadataFile;

    /// <summary>The newest <c>bundle_metadata.json</c> schema this code reads.</summary>
    public const int ReaderVersion = 1;

    public static HybridBundleMetadata ReadMetadata(string path) =>
        DeepModelFile.ReadMetadata<HybridBundleMetadata>(path, DeepModelFile.HybridFamily, "hybrid model", ReaderVersion, family =>
        {
            if (family is not null and not DeepModelFile.HybridFamily)
                throw new DataException(path, null, "model_family", "not-a-hybrid",
                    $"the model is a {family}, not the hybrid: this reader (the hybrid predictor, the managed kernel, the ONNX export) takes the hybrid only");
        });

    /// <summary>
    /// Builds the model <paramref name="metadata"/> describes and loads <paramref name="weightsPath"/> into it (strict),
    /// after checking the file's SHA-256 against <c>weights_sha256</c>; eval mode. <paramref name="dropout"/> is only held.
    /// </summary>
    public static HybridModel Load(HybridBundleMetadata metadata, string weightsPath, Generator dropout) =>
        DeepModelFile.Load(metadata, weightsPath, () => Build(metadata, dropout));

    /// <summary>The (untrained) model <paramref name="metadata"/> describes, holding <paramref name="dropout"/>.</summary>
    public static HybridModel Build(HybridBundleMetadata metadata, Generator dropout)
    {
        var schema = metadata.Schema();
        var problems = schema.Problems();
        if (problems.Count > 0) throw new DataException(metadata.WeightsFile, "hybrid-metadata", "bundle_metadata.json describes no valid model: " + string.Join("; ", problems));
        return new HybridModel(schema, metadata.Architecture, metadata.InputStandardization, dropout);
    }

    /// <summary>Throws an <see cref="ArgumentException"/> when <paramref name="split"/> does not have the inputs of <paramref name="expected"/>.</summary>
    public static void CheckInputs(HybridInputSchema expected, IHybridBatchSource split)
    {
        var actual = split.Schema(expected.ContextCardinalities);
        if (actual with { ContextCardinalities = expected.ContextCardinalities } != expected)
            throw new ArgumentException($"split '{split.Name}' has inputs {Shape(actual)}, the model takes {Shape(expected)}", nameof(split));
    }

    private static string Shape(HybridInputSchema s) =>
        $"[L {s.SequenceLength}, seq {s.SequenceFeatures}, snap {s.SnapshotFeatures}, ctx {s.ContextCardinalities.Count}+{s.ContextContinuous}, signals {s.TreeSignals}]";
}
