using System.Text.Json.Serialization;
using Kairos.Features;

namespace Kairos.Datasets;

/// <summary>
/// The dataset build configuration, read from YAML by <see cref="DatasetConfigLoader"/>. Every property
/// has a documented default (docs/config.md) mirroring the design notes.
/// </summary>
public sealed record DatasetConfig
{
    /// <summary>Symbols to build; empty = every symbol of the snapshot.</summary>
    public IReadOnlyList<string> Symbols { get; init; } = [];

    /// <summary>
    /// Pooled multi-symbol dataset: the split files get a <c>symbol_id</c> categorical context column (ids from the
    /// dataset's symbol vocabulary, <see cref="DatasetMetadata.SymbolVocabulary"/>), so one model learns every symbol and
    /// knows which one a row is. Serialised only when on, so that the hashes of existing configurations are unchanged.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Pooled { get; init; }

    /// <summary>Base bar size; finer snapshot bars (M1) are resampled to it.</summary>
    public TimeSpan BarSize { get; init; } = TimeSpan.FromMinutes(5);

    public SessionTable Sessions { get; init; } = SessionTable.Default;

    public IReadOnlyList<string> BlockedSessions { get; init; } = ["ASIA"];

    public SpreadSource SpreadSource { get; init; } = SpreadSource.Column;
    public double SpreadConstantBps { get; init; }
    public double SpreadHardCapBps { get; init; } = 5.0;

    /// <summary>
    /// <see cref="VolumeSource.Absent"/> leaves the volume features out (for quote bars without volume). Serialised
    /// only when absent, so that the hashes of existing configurations are unchanged.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public VolumeSource Volume { get; init; } = VolumeSource.Column;

    public double KillSwitchMaxGapMinutes { get; init; } = 30;
    public int KillSwitchCooldownBars { get; init; } = 12;

    /// <summary>Bars at the start of each symbol that are never samples, on top of feature readiness.</summary>
    public int WarmupBars { get; init; } = 300;

    public int VolAtrPeriod { get; init; } = 14;
    public int VolWindow { get; init; } = 2880;
    public int VolMinPeriods { get; init; } = 288;
    public IReadOnlyList<double> VolThresholds { get; init; } = [0.25, 0.75, 0.97];
    public bool BlockExtremeVol { get; init; } = true;

    public int TrendEmaPeriod { get; init; } = 200;
    public double TrendThreshold { get; init; } = 0.001;

    public BucketMode AtrBucketMode { get; init; } = BucketMode.TrainQuantiles;
    public IReadOnlyList<double> AtrBucketThresholdsBps { get; init; } = [];
    public BucketMode SpreadBucketMode { get; init; } = BucketMode.Fixed;
    public IReadOnlyList<double> SpreadBucketThresholdsBps { get; init; } = [1.0, 3.0];

    public int SeqLen { get; init; } = 30;
    public IReadOnlyList<string> SequenceFeatures { get; init; } = FeatureCatalog.DefaultSequenceFeatures;
    public IReadOnlyList<string> SnapshotFeatures { get; init; } = FeatureCatalog.DefaultSnapshotFeatures;

    public LabelOptions Labels { get; init; } = new();

    public double CommissionBps { get; init; }
    public double SlippageBps { get; init; }

    public SplitOptions Splits { get; init; } = new();

    /// <summary>Purge actually used: the configured value or the label horizon.</summary>
    public int PurgeBars => Splits.PurgeBars ?? Labels.Horizon;

    /// <summary>Feature lists after removing spread features when the spread source is absent, and volume features when volume is.</summary>
    public IReadOnlyList<string> EffectiveSnapshotFeatures => Effective(SnapshotFeatures);

    public IReadOnlyList<string> EffectiveSequenceFeatures => Effective(SequenceFeatures);

    /// <summary>The features of both lists that <see cref="SpreadSource.Absent"/> or <see cref="VolumeSource.Absent"/> remove.</summary>
    public IReadOnlyList<string> RemovedFeatures(Func<string, bool> uses) =>
        SnapshotFeatures.Concat(SequenceFeatures).Where(uses).Where(f => !Effective([f]).Any()).Distinct().ToList();

    private IReadOnlyList<string> Effective(IReadOnlyList<string> features) =>
        SpreadSource != SpreadSource.Absent && Volume != VolumeSource.Absent
            ? features
            : features.Where(f => !(SpreadSource == SpreadSource.Absent && FeatureCatalog.UsesSpread(f))
                && !(Volume == VolumeSource.Absent && FeatureCatalog.UsesVolume(f))).ToList();

    /// <summary>The feature engine options this configuration implies (union of both lists).</summary>
    public FeatureEngineOptions EngineOptions() => new()
    {
        Features = EffectiveSnapshotFeatures.Concat(EffectiveSequenceFeatures).Distinct(StringComparer.Ordinal).ToList(),
        BarSize = BarSize,
        Sessions = Sessions,
        Spread = SpreadSource,
        SpreadConstantBps = SpreadConstantBps,
        MaxGapMinutes = KillSwitchMaxGapMinutes,
        AtrPeriod = VolAtrPeriod,
        VolRegimeWindow = VolWindow,
        VolRegimeMinPeriods = VolMinPeriods,
        VolRegimeThresholds = VolThresholds,
        TrendEmaPeriod = TrendEmaPeriod,
        TrendThreshold = TrendThreshold,
    };
}
