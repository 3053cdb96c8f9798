using System.Security.Cryptography;
using System.Text.Json;
using Kairos.Deep.Hybrid;
using Kairos.Deep.Runs;
using Kairos.Deep.Runtime;
using Kairos.Errors;
using static TorchSharp.torch;

namespace Kairos.Deep.Tft;

/// <summary>
/// Reads a trained TFT back: <c>bundle_metadata.json</c> (family, architecture, input shapes, standardisation) and the
/// weights it names, checked against their SHA-256. Every reader of a TFT (predictions, interpretability) builds it here.
/// </summary>
internal static class TftModelFile
{
    public const string MetadataFile = DeepModelFile.MetadataFile;

    /// <summary>The newest <c>bundle_metadata.json</c> schema this code reads.</summary>
    public const int ReaderVersion = 1;

    /// <summary>True when <paramref name="path"/> describes a TFT.</summary>
    public static bool IsTft(string path) => DeepModelFile.Family(path) == TftModelMetadata.Family;

    public static TftModelMetadata ReadMetadata(string path) =>
        DeepModelFile.ReadMetadata<TftModelMetadata>(path, TftModelMetadata.Family, "TFT", ReaderVersion);

    /// <summary>
    /// Builds the model <paramref name="metadata"/> describes and loads <paramref name="weightsPath"/> into it (strict) after
    /// checking the file's SHA-256 against <c>weights_sha256</c>; eval mode. <paramref name="dropout"/> is only held.
    /// </summary>
    public static TftModel Load(TftModelMetadata metadata, string weightsPath, Generator dropout) =>
        DeepModelFile.Load(metadata, weightsPath, () => Build(metadata, dropout));

    /// <summary>The (untrained) model <paramref name="metadata"/> describes, holding <paramref name="dropout"/>.</summary>
    public static TftModel Build(TftModelMetadata metadata, Generator dropout)
    {
        var schema = metadata.Schema();
        var problems = schema.Problems().Concat(metadata.Architecture.Problems()).ToList();
        if (problems.Count > 0) throw new DataException(metadata.WeightsFile, "tft-metadata", "bundle_metadata.json describes no valid model: " + string.Join("; ", problems));
        return new TftModel(schema, metadata.Architecture, metadata.InputStandardization, dropout);
    }
}
