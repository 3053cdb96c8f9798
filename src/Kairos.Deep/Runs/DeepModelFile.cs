using System.Security.Cryptography;
using System.Text.Json;
using Kairos.Artifacts;
using Kairos.Deep.Runtime;
using Kairos.Errors;
using static TorchSharp.torch;

namespace Kairos.Deep.Runs;

/// <summary>
/// Reads any trained deep model back, one way for every family: <c>bundle_metadata.json</c> (its <c>model_family</c>
/// first, then the family's record and its reader version) and the weights it names, which must lie directly in the
/// model's directory and match <c>weights_sha256</c>, loaded strictly into the module the metadata describes (eval mode).
/// Error codes name the family: <c>&lt;family&gt;-metadata-missing</c>, <c>not-a-&lt;family&gt;</c>, <c>&lt;family&gt;-metadata</c>,
/// <c>&lt;family&gt;-weights-missing</c>, <c>&lt;family&gt;-weights</c>.
/// </summary>
public static class DeepModelFile
{
    public const string MetadataFile = "bundle_metadata.json";

    /// <summary>The family of a <c>bundle_metadata.json</c> without <c>model_family</c>: the hybrid, which predates the field.</summary>
    public const string HybridFamily = "hybrid";

    /// <summary>
    /// The <c>model_family</c> of the <c>bundle_metadata.json</c> at <paramref name="path"/>, or null when the file or the field
    /// is absent.
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

    /// <summary>
    /// The metadata at <paramref name="path"/> as <typeparamref name="TMetadata"/>, after checking that the file exists and
    /// that its family is <paramref name="family"/> (<paramref name="familyCheck"/> may decide instead, for files older than the
    /// field), then its reader version against <paramref name="readerVersion"/>.
    /// </summary>
    public static TMetadata ReadMetadata<TMetadata>(string path, string family, string kind, int readerVersion, Action<string?>? familyCheck = null)
        where TMetadata : IDeepModelMetadata
    {
        if (!File.Exists(path)) throw new DataException(path, $"{family}-metadata-missing", $"no {MetadataFile}: not a {kind} run directory");
        var found = Family(path);
        if (familyCheck is not null) familyCheck(found);
        else if ((found ?? HybridFamily) != family)
            throw new DataException(path, null, "model_family", $"not-a-{family}",
                $"the model is a {found ?? HybridFamily}, not a {kind}: this reader takes the {kind} only");
        TMetadata metadata;
        try
        {
            metadata = RunJson.Read<TMetadata>(path);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new DataException(path, $"{family}-metadata", $"cannot read the {kind}'s metadata: {e.Message}", e);
        }
        ArtifactVersion.EnsureReadable(path, kind, metadata.MinReaderVersion, readerVersion);
        return metadata;
    }

    /// <summary>The weights file <paramref name="metadata"/> names, which must lie directly in <paramref name="directory"/>.</summary>
    public static string WeightsPath(string directory, IDeepModelMetadata metadata)
    {
        var weights = Path.Combine(directory, metadata.WeightsFile);
        if (Path.GetDirectoryName(Path.GetFullPath(weights)) != Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)))
            throw new DataException(Path.Combine(directory, MetadataFile), null, "weights_file", "path-outside",
                $"weights_file '{metadata.WeightsFile}' must name a file directly inside the run directory");
        return weights;
    }

    /// <summary>
    /// Checks <paramref name="weightsPath"/> against <c>weights_sha256</c>, builds the module (<paramref name="build"/>), loads the
    /// weights into it strictly and puts it in eval mode. A module that does not take the weights is disposed and reported.
    /// </summary>
    public static TModel Load<TModel>(IDeepModelMetadata metadata, string weightsPath, Func<TModel> build) where TModel : nn.Module
    {
        TorchRuntime.EnsureAvailable();
        var family = metadata.ModelFamily;
        if (!File.Exists(weightsPath)) throw new DataException(weightsPath, $"{family}-weights-missing", $"the weights file named by {MetadataFile} (weights_file) is missing");
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(weightsPath)));
        if (!string.Equals(sha, metadata.WeightsSha256, StringComparison.OrdinalIgnoreCase))
            throw new VerificationException(weightsPath, [$"SHA-256 is {sha}, {MetadataFile} (weights_sha256) says {metadata.WeightsSha256}"]);
        var model = build();
        try
        {
            model.load(weightsPath);
            model.eval();
            return model;
        }
        catch (Exception e) when (e is not KairosException)
        {
            model.Dispose();
            throw new DataException(weightsPath, $"{family}-weights", $"the weights do not fit the model {MetadataFile} describes: {e.Message}", e);
        }
    }
}
