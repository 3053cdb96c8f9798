using Kairos.Settings;
using System.Text.Json.Serialization;
using Kairos.Features;

namespace Kairos.Datasets;

/// <summary>
/// The dataset build configuration, read from YAML by <see cref="DatasetConfigLoader"/>. Every property
/// has a documented default (docs/config.md) mirroring the design notes.
/// </summary>
public sealed record DatasetConfig
{
    /// <summary>The number settings of the dataset YAML, defined once: key (within its section), default, range, help.</summary>
    public static class Settings
    {
        public static readonly DoubleSetting SpreadConstantBps = new("constant_bps", 0, 0, 10_000, "spread: the spread assumed with source 'constant', in basis points.");
        public static readonly DoubleSetting SpreadHardCapBps = new("hard_cap_bps", 5.0, 0, 10_000, "spread: bars with a wider spread are never samples, in basis points.", MinExclusive: true);
        public static readonly DoubleSetting KillSwitchMaxGapMinutes = new("max_gap_minutes", 30, 0, 1e6, "kill_switch: a gap between bars longer than this trips the kill switch.");
        public static readonly IntSetting KillSwitchCooldownBars = new("cooldown_bars", 12, 0, 100_000, "kill_switch: bars without samples after a trip.");
        public static readonly IntSetting WarmupBars = new("warmup_bars", 300, 0, 1_000_000, "Bars at the start of each symbol that are never samples, on top of feature readiness.");
        public static readonly IntSetting VolAtrPeriod = new("atr_period", 14, 1, 10_000, "vol_regime: ATR period.");
        public static readonly IntSetting VolWindow = new("window", 2880, 2, 1_000_000, "vol_regime: bars of the rolling percentile window.");
        public static readonly IntSetting VolMinPeriods = new("min_periods", 288, 1, 1_000_000, "vol_regime: bars the window needs before the regime is known.");
        public static readonly IntSetting TrendEmaPeriod = new("ema_period", 200, 1, 100_000, "trend_regime: EMA period.");
        public static readonly DoubleSetting TrendThreshold = new("threshold", 0.001, 0, 1, "trend_regime: EMA slope beyond which the trend is up or down.");
        public static readonly IntSetting SeqLen = new("seq_len", 30, 1, 10_000, "Bars of each sequence window, the decision bar last.");
        public static readonly DoubleSetting CommissionBps = new("commission_bps", 0, 0, 10_000, "costs: commission per side, in basis points.");
        public static readonly DoubleSetting SlippageBps = new("slippage_bps", 0, 0, 10_000, "costs: slippage per side, in basis points.");
    }

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
    public double SpreadConstantBps { get; init; } = Settings.SpreadConstantBps.Default;
    public double SpreadHardCapBps { get; init; } = Settings.SpreadHardCapBps.Default;

    /// <summary>
    /// <see cref="VolumeSource.Absent"/> leaves the volume features out (for quote bars without volume). Serialised
    /// only when absent, so that the hashes of existing configurations are unchanged.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public VolumeSource Volume { get; init; } = VolumeSource.Column;

    public double KillSwitchMaxGapMinutes { get; init; } = Settings.KillSwitchMaxGapMinutes.Default;
    public int KillSwitchCooldownBars { get; init; } = Settings.KillSwitchCooldownBars.Default;

    /// <summary>Bars at the start of each symbol that are never samples, on top of feature readiness.</summary>
    public int WarmupBars { get; init; } = Settings.WarmupBars.Default;

    public int VolAtrPeriod { get; init; } = Settings.VolAtrPeriod.Default;
    public int VolWindow { get; init; } = Settings.VolWindow.Default;
    public int VolMinPeriods { get; init; } = Settings.VolMinPeriods.Default;
    public IReadOnlyList<double> VolThresholds { get; init; } = [0.25, 0.75, 0.97];
    public bool BlockExtremeVol { get; init; } = true;

    public int TrendEmaPeriod { get; init; } = Settings.TrendEmaPeriod.Default;
    public double TrendThreshold { get; init; } = Settings.TrendThreshold.Default;

    public BucketMode AtrBucketMode { get; init; } = BucketMode.TrainQuantiles;
    public IReadOnlyList<double> AtrBucketThresholdsBps { get; init; } = [];
    public BucketMode SpreadBucketMode { get; init; } = BucketMode.Fixed;
    public IReadOnlyList<double> SpreadBucketThresholdsBps { get; init; } = [1.0, 3.0];

    public int SeqLen { get; init; } = Settings.SeqLen.Default;
    public IReadOnlyList<string> SequenceFeatures { get; init; } = FeatureCatalog.DefaultSequenceFeatures;
    public IReadOnlyList<string> SnapshotFeatures { get; init; } = FeatureCatalog.DefaultSnapshotFeatures;

    public LabelOptions Labels { get; init; } = new();

    public double CommissionBps { get; init; } = Settings.CommissionBps.Default;
    public double SlippageBps { get; init; } = Settings.SlippageBps.Default;

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
