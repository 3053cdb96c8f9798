using System.Text.Json.Nodes;
using Kairos.Features;

namespace Kairos.Datasets;

/// <summary>
/// The feature contract between the dataset and every model trained on it: feature names, order and
/// types, categorical cardinalities and embedding sizes, continuous ranges, normalisation with the
/// train-only scaler state, window length, and the settings that define the values (sessions,
/// regimes, buckets, spread source). <see cref="Hash"/> is the first 16 hex digits of the SHA-256 of
/// its canonical JSON; replay refuses a bundle whose hash differs from the running code's.
/// </summary>
public static class FeatureContract
{
    public const int Version = 1;

    /// <summary>Embedding size of every categorical context feature (design notes: 5 x 8).</summary>
    public const int EmbeddingDim = 8;

    /// <summary>The categorical context column of a pooled dataset: the row's symbol, an id into the symbol vocabulary.</summary>
    public const string SymbolIdColumn = "symbol_id";

    /// <summary>Categorical context names, in column and model-input order; a pooled dataset ends with <see cref="SymbolIdColumn"/>.</summary>
    public static IReadOnlyList<string> CategoricalContext(SpreadSource spread, bool pooled = false)
    {
        List<string> names = spread == SpreadSource.Absent
            ? ["session_id", "trend_regime_id", "vol_regime_id", "atr_bucket"]
            : ["session_id", "trend_regime_id", "vol_regime_id", "atr_bucket", "spread_bucket"];
        if (pooled) names.Add(SymbolIdColumn);
        return names;
    }

    /// <summary>
    /// The symbol vocabulary of a pooled dataset: its symbols in ordinal order, so that a symbol's id does not depend on
    /// the order the configuration lists them in. Recorded in <c>dataset.json</c> and the contract, never re-derived.
    /// </summary>
    public static IReadOnlyList<string> SymbolVocabulary(IEnumerable<string> symbols) =>
        symbols.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public static IReadOnlyList<string> ContinuousContext(SpreadSource spread) =>
        spread == SpreadSource.Absent ? ["atr_bps"] : ["atr_bps", "spread_bps"];

    /// <param name="config">The resolved dataset configuration.</param>
    /// <param name="engine">The feature engine (warm-ups).</param>
    /// <param name="scalers">The train scalers.</param>
    /// <param name="symbolVocabulary">The symbol vocabulary of a pooled dataset (<see cref="DatasetConfig.Pooled"/>); null otherwise.</param>
    public static JsonObject Create(DatasetConfig config, FeatureEngine engine, ScalerSet scalers, IReadOnlyList<string>? symbolVocabulary = null)
    {
        if (config.Pooled != symbolVocabulary is not null)
            throw new ArgumentException("a pooled configuration needs a symbol vocabulary, and only a pooled one", nameof(symbolVocabulary));
        var warmUps = engine.FeatureNames.Zip(engine.FeatureWarmUps).ToDictionary(p => p.First, p => p.Second);
        JsonArray Features(IReadOnlyList<string> names, StandardScaler scaler)
        {
            var a = new JsonArray();
            for (var i = 0; i < names.Count; i++)
                a.Add(new JsonObject
                {
                    ["name"] = names[i],
                    ["type"] = "float64",
                    ["warmup_bars"] = warmUps[names[i]],
                    ["normalization"] = "zscore",
                    ["mean"] = scaler.Mean[i],
                    ["std"] = scaler.Std[i],
                });
            return a;
        }
        var categorical = new JsonArray();
        foreach (var name in CategoricalContext(config.SpreadSource, config.Pooled))
        {
            var values = name switch
            {
                SymbolIdColumn => symbolVocabulary!,
                "session_id" => SessionTable.Names,
                "trend_regime_id" => ContextValues.TrendRegimeNames,
                "vol_regime_id" => ContextValues.VolRegimeNames,
                "atr_bucket" => ["Q1", "Q2", "Q3", "Q4"],
                _ => (IReadOnlyList<string>)["LOW", "MEDIUM", "HIGH"],
            };
            categorical.Add(new JsonObject
            {
                ["name"] = name,
                ["type"] = "categorical",
                ["cardinality"] = values.Count,
                ["values"] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
                ["embedding_dim"] = EmbeddingDim,
            });
        }
        var continuous = new JsonArray();
        var cont = ContinuousContext(config.SpreadSource);
        for (var i = 0; i < cont.Count; i++)
            continuous.Add(new JsonObject
            {
                ["name"] = cont[i],
                ["type"] = "float64",
                ["range"] = new JsonArray(0.0, cont[i] == "atr_bps" ? 1000.0 : 500.0),
                ["normalization"] = "zscore",
                ["mean"] = scalers.Context.Mean[i],
                ["std"] = scalers.Context.Std[i],
            });
        var s = config.Sessions;
        var contract = new JsonObject
        {
            ["contract_version"] = Version,
            ["bar_seconds"] = (long)config.BarSize.TotalSeconds,
            ["seq_len"] = config.SeqLen,
            ["sequence_features"] = Features(config.EffectiveSequenceFeatures, scalers.Sequence),
            ["snapshot_features"] = Features(config.EffectiveSnapshotFeatures, scalers.Snapshot),
            ["context_categorical"] = categorical,
            ["context_continuous"] = continuous,
            ["spread"] = new JsonObject
            {
                ["source"] = YamlSection.Snake(config.SpreadSource.ToString()),
                ["constant_bps"] = config.SpreadSource == SpreadSource.Constant ? config.SpreadConstantBps : null,
                ["absent_features"] = new JsonArray(config.SnapshotFeatures.Concat(config.SequenceFeatures)
                    .Where(f => config.SpreadSource == SpreadSource.Absent && FeatureCatalog.UsesSpread(f)).Distinct()
                    .Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
            },
            ["sessions_utc"] = new JsonObject { ["asia_start"] = s.AsiaStart, ["eu_start"] = s.EuStart, ["overlap_start"] = s.OverlapStart, ["us_start"] = s.UsStart },
            ["vol_regime"] = new JsonObject
            {
                ["atr_period"] = config.VolAtrPeriod,
                ["window"] = config.VolWindow,
                ["min_periods"] = config.VolMinPeriods,
                ["thresholds"] = new JsonArray(config.VolThresholds.Select(v => (JsonNode?)v).ToArray()),
                ["resolution"] = Kairos.Features.Indicators.RollingPercentRank.RelativeResolution,
            },
            ["trend_regime"] = new JsonObject { ["ema_period"] = config.TrendEmaPeriod, ["threshold"] = config.TrendThreshold },
            ["atr_bucket"] = new JsonObject
            {
                ["mode"] = YamlSection.Snake(config.AtrBucketMode.ToString()),
                ["thresholds_bps"] = new JsonArray(scalers.AtrBucketThresholdsBps.Select(v => (JsonNode?)v).ToArray()),
            },
            ["spread_bucket"] = new JsonObject
            {
                ["mode"] = YamlSection.Snake(config.SpreadBucketMode.ToString()),
                ["thresholds_bps"] = new JsonArray(scalers.SpreadBucketThresholdsBps.Select(v => (JsonNode?)v).ToArray()),
            },
            ["max_gap_minutes"] = config.KillSwitchMaxGapMinutes,
        };
        // Only when absent, so that the hashes of contracts with volume are unchanged.
        if (config.Volume == VolumeSource.Absent)
            contract["volume"] = new JsonObject
            {
                ["source"] = "absent",
                ["absent_features"] = new JsonArray(config.RemovedFeatures(FeatureCatalog.UsesVolume).Select(f => (JsonNode?)JsonValue.Create(f)).ToArray()),
            };
        return contract;
    }

    /// <summary>First 16 hex digits of the SHA-256 of the contract's canonical JSON.</summary>
    public static string Hash(JsonObject contract) => CanonicalJson.Sha256(contract)[..16];
}
