namespace Kairos.Bundles;

/// <summary>
/// The bundle directory layout and its format versions. A reader refuses a bundle whose
/// <c>min_reader_version</c> is newer than <see cref="ReaderVersion"/>.
/// </summary>
/// <remarks>
/// Layout of a bundle directory:
/// <code>
/// bundle_metadata.json   what the bundle is: variant, dimensions, contract hash, lineage, components
/// model_card.json        Model Card v2 (validated against model_card.schema.json)
/// feature_contract.json  the feature contract the models were trained against
/// manifest.json          every other file with its size and SHA-256, and the bundle content hash
/// dataset/               dataset.json of the training dataset (contract, scalers, splits, eligibility)
/// trees/                 LightGBM text models, per-session calibrators and their metadata
/// hybrid/                hybrid model weights and the run's configuration, metrics and metadata
/// evaluation/            evaluation metrics and the gate verdict
/// </code>
/// </remarks>
public static class BundleFormat
{
    /// <summary>Version written by this code.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Oldest format version a reader must understand to read what this code writes.</summary>
    public const int MinReaderVersion = 1;

    /// <summary>Newest format version this code can read.</summary>
    public const int ReaderVersion = 1;

    public const string MetadataFile = "bundle_metadata.json";
    public const string ModelCardFile = "model_card.json";
    public const string ManifestFile = "manifest.json";
    public const string FeatureContractFile = "feature_contract.json";
    public const string DatasetDirectory = "dataset";
    public const string TreesDirectory = "trees";
    public const string HybridDirectory = "hybrid";
    public const string EvaluationDirectory = "evaluation";

    /// <summary>The variant of the hybrid model with context features (design notes: ENTRY_V10_CTX).</summary>
    public const string ContextVariant = "v10_ctx";

    /// <summary>Categorical context features: session, trend regime, volatility regime, ATR bucket, spread bucket.</summary>
    public const int ContextCategoricalDim = 5;

    /// <summary>Continuous context features: ATR and spread in basis points.</summary>
    public const int ContextContinuousDim = 2;

    /// <summary>
    /// File kinds a bundle may hold: data only (JSON, text models, CSV, raw tensors, pictures). Anything
    /// else, an executable or library or a pickle, is refused: loading a bundle never runs code from it.
    /// </summary>
    public static readonly IReadOnlySet<string> AllowedExtensions = new HashSet<string>(StringComparer.Ordinal)
    {
        ".json", ".txt", ".csv", ".log", ".md", ".yaml", ".yml", ".bin", ".dat", ".safetensors", ".parquet", ".png",
    };
}
