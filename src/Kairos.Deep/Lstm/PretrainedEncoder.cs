using Kairos.Artifacts;
using System.Security.Cryptography;
using System.Text.Json;
using Kairos.Deep.Runs;
using Kairos.Errors;

namespace Kairos.Deep.Lstm;

/// <summary>A finished pretraining run's encoder, opened and checked: metadata readable, version supported, weights' hash matching.</summary>
public sealed record PretrainedEncoder(string Directory, EncoderMetadata Metadata)
{
    public string WeightsPath => Path.Combine(Directory, Metadata.WeightsFile);

    public static PretrainedEncoder Open(string directory)
    {
        var file = Path.Combine(directory, EncoderMetadata.FileName);
        if (!File.Exists(file))
            throw new DataException(file, "encoder-missing", $"no {EncoderMetadata.FileName}: --encoder must be the directory of a finished `kairos pretrain` run");
        EncoderMetadata metadata;
        try
        {
            metadata = RunJson.Read<EncoderMetadata>(file);
        }
        catch (JsonException e)
        {
            throw new DataException(file, e.LineNumber + 1, e.Path, "invalid-json", e.Message, e);
        }
        if (metadata.Kind != "kairos.encoder")
            throw new DataException(file, null, "kind", "wrong-kind", $"kind is '{metadata.Kind}', expected 'kairos.encoder'");
        ArtifactVersion.EnsureReadable(file, "encoder", metadata.MinReaderVersion, EncoderMetadata.CurrentVersion);
        var weights = Path.Combine(directory, metadata.WeightsFile);
        if (!File.Exists(weights)) throw new DataException(weights, "weights-missing", "the encoder weights named by encoder.json are missing");
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(weights)));
        if (hash != metadata.WeightsSha256)
            throw new VerificationException(directory, [$"{metadata.WeightsFile}: SHA-256 {hash} differs from weights_sha256 {metadata.WeightsSha256} in encoder.json"]);
        return new PretrainedEncoder(Path.GetFullPath(directory), metadata);
    }
}
