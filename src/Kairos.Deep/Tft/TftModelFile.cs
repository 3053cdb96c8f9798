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
    public const string MetadataFile = "bundle_metadata.json";

    /// <summary>The newest <c>bundle_metadata.json</c> schema this code reads.</summary>
    public const int ReaderVersion = 1;

    /// <summary>
    /// The <c>model_family</c> of the <c>bundle_metadata.json</c> at <paramref name="path"/> (null when absent: a hybrid, which
    /// predates the field), for the readers that take either family.
    /// </summary>
    public static string? Family(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("model_family", out var f) && f.ValueKind == JsonValueKind.String
                ? f.GetString() : null;
        }
        catch (JsonException e)
        {
            throw new DataException(path, (e.LineNumber ?? 0) + 1, null, "json-syntax", e.Message, e);
        }
    }

    /// <summary>True when <paramref name="path"/> describes a TFT.</summary>
    public static bool IsTft(string path) => Family(path) == TftModelMetadata.Family;

    public static TftModelMetadata ReadMetadata(string path)
    {
        if (!File.Exists(path)) throw new DataException(path, "tft-metadata-missing", $"no {MetadataFile}: not a TFT run directory");
        var family = Family(path);
        if (family != TftModelMetadata.Family)
            throw new DataException(path, null, "model_family", "not-a-tft",
                $"model_family is {(family is null ? "absent" : $"'{family}'")}, expected '{TftModelMetadata.Family}': this run is not a TFT (a hybrid run is read by the hybrid's tools)");
        TftModelMetadata metadata;
        try
        {
            metadata = RunJson.Read<TftModelMetadata>(path);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new DataException(path, "tft-metadata", $"cannot read the TFT's metadata: {e.Message}", e);
        }
        if (metadata.MinReaderVersion > ReaderVersion)
            throw new DataException(path, null, "min_reader_version", "reader-too-old",
                $"the model needs reader version {metadata.MinReaderVersion}, this Kairos reads up to {ReaderVersion}");
        return metadata;
    }

    /// <summary>
    /// Builds the model <paramref name="metadata"/> describes and loads <paramref name="weightsPath"/> into it (strict) after
    /// checking the file's SHA-256 against <c>weights_sha256</c>; eval mode. <paramref name="dropout"/> is only held.
    /// </summary>
    public static TftModel Load(TftModelMetadata metadata, string weightsPath, Generator dropout)
    {
        TorchRuntime.EnsureAvailable();
        if (!File.Exists(weightsPath)) throw new DataException(weightsPath, "tft-weights-missing", "the weights file named by bundle_metadata.json (weights_file) is missing");
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(weightsPath)));
        if (!string.Equals(sha, metadata.WeightsSha256, StringComparison.OrdinalIgnoreCase))
            throw new VerificationException(weightsPath, [$"SHA-256 is {sha}, bundle_metadata.json (weights_sha256) says {metadata.WeightsSha256}"]);
        var schema = metadata.Schema();
        var problems = schema.Problems().Concat(metadata.Architecture.Problems()).ToList();
        if (problems.Count > 0) throw new DataException(weightsPath, "tft-metadata", "bundle_metadata.json describes no valid model: " + string.Join("; ", problems));
        var model = new TftModel(schema, metadata.Architecture, metadata.InputStandardization, dropout);
        try
        {
            model.load(weightsPath);
            model.eval();
            return model;
        }
        catch (Exception e) when (e is not KairosException)
        {
            model.Dispose();
            throw new DataException(weightsPath, "tft-weights", $"the weights do not fit the model bundle_metadata.json describes: {e.Message}", e);
        }
    }
}
