using Kairos.Datasets;
using Kairos.Snapshots;

namespace Kairos.Tests.Deep;

/// <summary>
/// A real dataset built once per test run from a year of EURUSD M5 bars (short window and feature lists to
/// stay fast), and the smoke-size options every hybrid CLI test trains with.
/// </summary>
internal sealed class HybridRealData
{
    private const string Config = """
        warmup_bars: 50
        blocked_sessions: [ASIA]
        vol_regime: {window: 300, min_periods: 50}
        trend_regime: {ema_period: 50}
        seq_len: 12
        sequence_features: [ret_1, z_20, range_bps, tod_sin]
        snapshot_features: [ret_1, ret_12, vol_12, atr_14, rsi_14, ema_dist_21]
        """;

    private static readonly Lazy<HybridRealData> Shared = new(() => new HybridRealData(TestData.TempDirectory("kairos-hybrid-data")));

    private HybridRealData(string root)
    {
        var bars = BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"), "EURUSD");
        var built = DatasetBuilder.Build(new DatasetSource([bars], new Dictionary<string, string> { ["EURUSD"] = "test" }, "snap-eurusd-2025"),
            DatasetConfigLoader.Parse(Config), Path.Combine(root, "datasets"));
        Dataset = built.Directory;
        Metadata = built.Metadata;
        Root = root;
    }

    public static HybridRealData Instance => Shared.Value;

    public string Root { get; }
    public string Dataset { get; }
    public DatasetMetadata Metadata { get; }

    /// <summary>Smoke-size training on the real dataset without tree signals (it is not enriched): 3 epochs of 768 samples.</summary>
    public string[] TrainArgs(string outDir, params string[] extra) =>
    [
        "train", "hybrid", "--dataset", Dataset, "--out", outDir, "--no-tree-signals", "--epochs", "3", "--limit-samples", "768",
        "--batch-size", "32", "--lr", "1e-3", "--log-every", "1", "--patience", "0", "--threads", "2", "--seed", "7",
        "--d-model", "32", "--heads", "4", "--layers", "2", "--feed-forward", "64", "--fusion", "gated", .. extra,
    ];
}
