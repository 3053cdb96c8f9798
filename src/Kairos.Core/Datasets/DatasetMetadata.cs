using System.Text.Json.Nodes;

namespace Kairos.Datasets;

/// <summary>
/// <c>dataset.json</c>: everything a consumer needs to use the dataset without the builder
/// (docs/dataset-format.md describes every field).
/// </summary>
public sealed record DatasetMetadata
{
    public const int CurrentSchemaVersion = 1;
    public const int CurrentMinReaderVersion = 1;

    public string Kind { get; init; } = "kairos.dataset";
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public int MinReaderVersion { get; init; } = CurrentMinReaderVersion;
    public required string Id { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public bool CalibrationApplied { get; init; }
    public required long BarSeconds { get; init; }
    public required int SeqLen { get; init; }
    public required IReadOnlyList<string> Symbols { get; init; }
    public required IReadOnlyList<string> SequenceFeatures { get; init; }
    public required IReadOnlyList<string> SnapshotFeatures { get; init; }
    public required IReadOnlyList<string> ContextCategorical { get; init; }
    public required IReadOnlyList<string> ContextContinuous { get; init; }
    public IReadOnlyList<string> LabelColumns { get; init; } = ["y_direction", "y_early_move", "y_quality", "mae_atr", "mfe_atr"];

    /// <summary>Signal columns added by the trees stage (empty when built).</summary>
    public IReadOnlyList<string> SignalColumns { get; init; } = [];

    public required JsonObject FeatureContract { get; init; }
    public required string FeatureContractHash { get; init; }

    /// <summary>Fitted state per training set: "train" for train/val/test, "fold_k" for fold k.</summary>
    public required IReadOnlyDictionary<string, ScalerSet> Scalers { get; init; }

    public required DatasetFile Sequence { get; init; }
    public required IReadOnlyList<SplitInfo> Splits { get; init; }
    public required SplitFile SplitPlan { get; init; }
    public required EligibilityReport Eligibility { get; init; }
    public required IReadOnlyList<SymbolInfo> SymbolInfo { get; init; }

    /// <summary>
    /// Pooled datasets (configuration <c>pooled: true</c>): the symbols in <c>symbol_id</c> order (ordinal), also in the
    /// feature contract's <c>symbol_id</c> entry. Null (and not written) otherwise, so existing files are unchanged.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? SymbolVocabulary { get; init; }

    /// <summary>The id of <paramref name="symbol"/> in <see cref="SymbolVocabulary"/>; -1 when the dataset is not pooled or does not know it.</summary>
    public int SymbolId(string symbol) => SymbolVocabulary is { } v ? IndexOfOrdinal(v, symbol) : -1;

    private static int IndexOfOrdinal(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
            if (string.Equals(values[i], value, StringComparison.Ordinal)) return i;
        return -1;
    }
    public required DatasetLineage Lineage { get; init; }
    public LookaheadReport? LookaheadCheck { get; init; }

    /// <summary>The resolved configuration (every default filled in).</summary>
    public required JsonNode Config { get; init; }

    public SplitInfo Split(string name) =>
        Splits.FirstOrDefault(s => s.Name == name) ?? throw new KeyNotFoundException($"dataset has no split '{name}' (has {string.Join(", ", Splits.Select(s => s.Name))})");
}

/// <summary>A Parquet file of the dataset with its row count and SHA-256.</summary>
public sealed record DatasetFile(string File, long Rows, string Sha256);

/// <summary>One split file: rows, time range, purge / embargo losses, label balance, which scalers apply.</summary>
public sealed record SplitInfo
{
    public required string Name { get; init; }
    public required string File { get; init; }
    public required long Rows { get; init; }
    public required string Sha256 { get; init; }
    public required string ScalerGroup { get; init; }
    public long? StartTime { get; init; }
    public long? EndTime { get; init; }
    public string? StartUtc { get; init; }
    public string? EndUtc { get; init; }
    public int Purged { get; init; }
    public int Embargoed { get; init; }
    public required LabelBalance LabelBalance { get; init; }
}

public sealed record LabelBalance(double DirectionPositiveRate, double EarlyMovePositiveRate, double QualityMean, double MaeMean, double MfeMean);

/// <summary>How many bars became samples and why the others did not (first failing reason).</summary>
public sealed record EligibilityReport(long TotalBars, long Eligible, double Rate, IReadOnlyDictionary<string, long> ByReason);

public sealed record SymbolInfo
{
    public required string Symbol { get; init; }
    public required long SourceBars { get; init; }
    public required long SourceBarSeconds { get; init; }
    public required long Bars { get; init; }
    public required long SeqRowStart { get; init; }
    public required long Eligible { get; init; }
    public int NegativeSpreadBars { get; init; }
    public int Gaps { get; init; }
    public string? ResampledFrom { get; init; }
    public int PartialBuckets { get; init; }
}

public sealed record DatasetLineage
{
    public string? SnapshotId { get; init; }
    public string? SnapshotDir { get; init; }
    public required IReadOnlyDictionary<string, string> SymbolHashes { get; init; }
    public required string ConfigHash { get; init; }
    public string? ConfigFile { get; init; }
    public string? SplitFileHash { get; init; }
    public string? CodeVersion { get; init; }
    public required string BuilderVersion { get; init; }
}

/// <summary>Result of the look-ahead check run during the build.</summary>
public sealed record LookaheadReport(int FeaturesChecked, IReadOnlyList<long> CutTimes, int RowsCompared, bool Passed);
