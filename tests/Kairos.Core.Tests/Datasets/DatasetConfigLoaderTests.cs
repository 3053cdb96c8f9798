using Kairos.Datasets;
using Kairos.Errors;
using Kairos.Features;

namespace Kairos.Tests.Datasets;

public class DatasetConfigLoaderTests
{
    [Fact]
    public void Parse_EmptyDocument_GivesDocumentedDefaults()
    {
        var c = DatasetConfigLoader.Parse("");
        Assert.Equal(TimeSpan.FromMinutes(5), c.BarSize);
        Assert.Equal(["ASIA"], c.BlockedSessions);
        Assert.Equal(30, c.SeqLen);
        Assert.Equal(6, c.Labels.EarlyWindow);
        Assert.Equal(12, c.PurgeBars);
        Assert.Equal(5.0, c.SpreadHardCapBps);
        Assert.Equal(88, c.SnapshotFeatures.Count);
        Assert.Equal(16, c.SequenceFeatures.Count);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsAllTogether()
    {
        const string yaml = """
            seq_len: -3
            bogus: 1
            spread:
              source: sometimes
              hard_cap_bps: 0
            labels:
              early_windw: 6
            splits:
              train: 0.8
              val: 0.3
              purge_bars: 2
            snapshot_features: [ret_1, nonsense_9]
            blocked_sessions: [MARS]
            """;
        var e = Assert.Throws<ConfigException>(() => DatasetConfigLoader.Parse(yaml, "cfg.yaml"));
        Assert.Equal("cfg.yaml", e.Source);
        Assert.Contains(e.Problems, p => p.StartsWith("seq_len", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("bogus", StringComparison.Ordinal) && p.Contains("unknown key"));
        Assert.Contains(e.Problems, p => p.StartsWith("spread.source", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("spread.hard_cap_bps", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("labels.early_windw", StringComparison.Ordinal) && p.Contains("did you mean 'early_window'"));
        Assert.Contains(e.Problems, p => p.StartsWith("splits: train + val + test", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("splits.purge_bars", StringComparison.Ordinal) && p.Contains("label horizon"));
        Assert.Contains(e.Problems, p => p.Contains("nonsense_9"));
        Assert.Contains(e.Problems, p => p.Contains("MARS"));
        Assert.True(e.Problems.Count >= 9);
    }

    [Fact]
    public void Parse_FullExample_ReadsEveryValue()
    {
        const string yaml = """
            symbols: [EURUSD]
            bar_size: M1
            sessions: {asia_start: 22, eu_start: 6, overlap_start: 12, us_start: 16}
            blocked_sessions: []
            spread: {source: constant, constant_bps: 1.5, hard_cap_bps: 8}
            kill_switch: {max_gap_minutes: 10, cooldown_bars: 3}
            warmup_bars: 50
            vol_regime: {atr_period: 10, window: 500, min_periods: 50, thresholds: [0.2, 0.8, 0.95], block_extreme: false}
            trend_regime: {ema_period: 100, threshold: 0.002}
            atr_bucket: {mode: fixed, thresholds_bps: [1, 2, 3]}
            spread_bucket: {mode: train_quantiles}
            seq_len: 20
            sequence_features: [ret_1, z_20]
            snapshot_features: [ret_1, h1_ret_1]
            labels: {method: triple_barrier, early_window: 4, barrier_horizon: 24, barrier_upper_atr: 2, barrier_lower_atr: 1}
            costs: {commission_bps: 0.5, slippage_bps: 0.2}
            splits: {method: dates, val_start: 2025-06-01, test_start: 2025-08-01, purge_bars: 30, embargo_bars: 5, folds: 3}
            """;
        var c = DatasetConfigLoader.Parse(yaml);
        Assert.Equal(TimeSpan.FromMinutes(1), c.BarSize);
        Assert.Equal(22, c.Sessions.AsiaStart);
        Assert.Equal(0, c.Sessions.SessionOf(23 * 3600));
        Assert.Equal(SpreadSource.Constant, c.SpreadSource);
        Assert.Equal(1.5, c.SpreadConstantBps);
        Assert.Equal(LabelMethod.TripleBarrier, c.Labels.Method);
        Assert.Equal(24, c.Labels.Horizon);
        Assert.Equal(30, c.PurgeBars);
        Assert.Equal(new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc), c.Splits.ValStart);
        Assert.Equal(3, c.Splits.Folds);
        Assert.Equal([1.0, 2.0, 3.0], c.AtrBucketThresholdsBps);
        Assert.Equal(BucketMode.TrainQuantiles, c.SpreadBucketMode);
        Assert.Empty(c.SpreadBucketThresholdsBps);
    }

    [Fact]
    public void Parse_SessionsNotCoveringTheDay_Rejected()
    {
        var e = Assert.Throws<ConfigException>(() => DatasetConfigLoader.Parse("sessions: {asia_start: 0, eu_start: 12, overlap_start: 7, us_start: 16}"));
        Assert.Contains(e.Problems, p => p.StartsWith("sessions", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_VolumeAbsent_DropsVolumeFeaturesFromTheDefaults()
    {
        var c = DatasetConfigLoader.Parse("volume: absent");

        Assert.Equal(VolumeSource.Absent, c.Volume);
        Assert.DoesNotContain(c.EffectiveSnapshotFeatures, FeatureCatalog.UsesVolume);
        Assert.Equal(84, c.EffectiveSnapshotFeatures.Count);
        Assert.Equal(15, c.EffectiveSequenceFeatures.Count);
    }

    [Fact]
    public void Parse_VolumeAbsentWithVolumeFeaturesListed_IsAProblemNamingThem()
    {
        var e = Assert.Throws<ConfigException>(() => DatasetConfigLoader.Parse("volume: absent\nsnapshot_features: [ret_1, volu_z_12, h1_volu_ratio_4]"));

        Assert.Contains("snapshot_features: lists volume features (volu_z_12, h1_volu_ratio_4) but volume is 'absent'", e.Problems);
    }

    [Fact]
    public void Parse_DefaultVolume_IsNotSerialisedSoExistingConfigHashesStay()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(DatasetConfigLoader.Parse("seq_len: 30"), DatasetJson.Options);

        Assert.DoesNotContain("\"volume\"", json);
    }

    [Fact]
    public void Parse_AbsentSpreadDropsSpreadFeaturesExplicitly()
    {
        var c = DatasetConfigLoader.Parse("spread: {source: absent}");
        Assert.DoesNotContain(c.EffectiveSnapshotFeatures, FeatureCatalog.UsesSpread);
        Assert.Equal(86, c.EffectiveSnapshotFeatures.Count);
    }
}
