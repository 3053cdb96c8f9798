using System.Text.Json;
using System.Text.Json.Nodes;
using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Features;

namespace Kairos.Bundles;

/// <summary>
/// The running code's feature contract (<see cref="FeatureContract"/>): a stored contract is hashed with the
/// dataset stage's canonical JSON, and the running feature engine rebuilds the contract from the bundle's
/// dataset configuration and train scalers. When the feature code changes (a feature renamed, added,
/// reordered, or its warm-up changed) the rebuilt hash differs and the bundle is refused.
/// </summary>
public sealed class RunningFeatureContract : IFeatureContractAuthority
{
    public static readonly RunningFeatureContract Instance = new();

    private RunningFeatureContract() { }

    public string HashOf(string contractJson) =>
        FeatureContract.Hash(JsonNode.Parse(contractJson) as JsonObject
            ?? throw new DataException(BundleFormat.FeatureContractFile, "contract-shape", "the feature contract is not a JSON object"));

    public string RuntimeHashFor(string contractJson, string datasetJson)
    {
        const string file = "dataset/dataset.json";
        DatasetMetadata metadata;
        DatasetConfig config;
        try
        {
            metadata = JsonSerializer.Deserialize<DatasetMetadata>(datasetJson, DatasetJson.Options)
                ?? throw new DataException(file, "dataset-json", "dataset metadata is JSON null");
            config = metadata.Config.Deserialize<DatasetConfig>(DatasetJson.Options)
                ?? throw new DataException(file, "dataset-config", "the resolved configuration is JSON null");
        }
        catch (JsonException e)
        {
            throw new DataException(file, "dataset-json", "cannot read the dataset metadata or its configuration: " + e.Message, e);
        }
        if (!metadata.Scalers.TryGetValue("train", out var scalers))
            throw new DataException(file, "dataset-scalers", "the dataset has no 'train' scalers to rebuild the contract from");
        // A pooled dataset's contract lists its symbol vocabulary (symbol_id's values).
        var vocabulary = !config.Pooled ? null : metadata.SymbolVocabulary is { Count: > 0 } v ? v
            : throw new DataException(file, "symbol_vocabulary", "the dataset is pooled (pooled: true) but records no symbol vocabulary to rebuild the contract from");
        return FeatureContract.Hash(FeatureContract.Create(config, new FeatureEngine(config.EngineOptions()), scalers, vocabulary));
    }
}
