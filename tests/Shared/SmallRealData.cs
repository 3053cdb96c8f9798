using System.Collections.Concurrent;
using Kairos.Datasets;
using Kairos.Snapshots;

namespace Kairos.Tests;

/// <summary>
/// The small dataset settings the real-data tests share (a 50-bar warm-up, Asia blocked, short regimes, a short
/// sequence of a few features) as one YAML text, and the year of EURUSD M5 bars built with it, once per test process
/// for each distinct setting.
/// </summary>
public static class SmallRealData
{
    /// <summary>Sequence features the hybrid and TFT tests use.</summary>
    public const string ReturnFeatures = "[ret_1, z_20, range_bps, tod_sin]";

    /// <summary>The 11 relative features the LSTM and its pretraining read.</summary>
    public const string RelativeFeatures = "[rel_ret_open, rel_ret_high, rel_ret_low, rel_ret_close, rel_body, rel_upper_wick, rel_lower_wick, rel_z_open, rel_z_high, rel_z_low, rel_z_close]";

    /// <summary>Snapshot features of the hybrid and trees tests.</summary>
    public const string SnapshotFeatures = "[ret_1, ret_12, vol_12, atr_14, rsi_14, ema_dist_21]";

    private static readonly ConcurrentDictionary<string, Lazy<string>> Built = new(StringComparer.Ordinal);

    /// <summary>The dataset YAML, every line indented by <paramref name="indent"/> spaces (2 for a run config's <c>dataset:</c> section).</summary>
    public static string DatasetYaml(int seqLen = 12, string sequence = ReturnFeatures, string snapshot = SnapshotFeatures, int indent = 0)
    {
        var pad = new string(' ', indent);
        string[] lines =
        [
            "warmup_bars: 50",
            "blocked_sessions: [ASIA]",
            "vol_regime: {window: 300, min_periods: 50}",
            "trend_regime: {ema_period: 50}",
            $"seq_len: {seqLen}",
            $"sequence_features: {sequence}",
            $"snapshot_features: {snapshot}",
        ];
        return string.Join('\n', lines.Select(l => pad + l));
    }

    /// <summary>The year of EURUSD M5 bars (<c>EURUSD_M5_2025_mt5.csv</c>) built with <paramref name="yaml"/>: its dataset directory, made once per process.</summary>
    public static string EurusdDataset(string yaml) =>
        Built.GetOrAdd(yaml, y => new Lazy<string>(() =>
        {
            var bars = BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"), "EURUSD");
            return DatasetBuilder.Build(new DatasetSource([bars], new Dictionary<string, string> { ["EURUSD"] = "test" }, "snap-eurusd-2025"),
                DatasetConfigLoader.Parse(y), Path.Combine(TestData.TempDirectory("kairos-small-real"), "datasets")).Directory;
        })).Value;
}
