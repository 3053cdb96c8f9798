using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Kairos.Datasets;
using Kairos.Snapshots;

namespace Kairos.Tests;

/// <summary>
/// A pooled multi-symbol dataset of real bars from three brokers: EURUSD and XAUUSD M5 of 2025 (MT5, converted to UTC,
/// spread column) and GBPUSD M1 of February 2012 (FXCM bid + ask, resampled to M5, negative spreads), with small
/// feature lists so that a build takes seconds.
/// </summary>
public static class PooledRealData
{
    public const string Config = """
        pooled: true
        symbols: [XAUUSD, EURUSD, GBPUSD]
        warmup_bars: 50
        blocked_sessions: [ASIA]
        vol_regime: {window: 1000, min_periods: 100}
        trend_regime: {ema_period: 50}
        seq_len: 10
        sequence_features: [ret_1, z_20, range_bps, tod_sin]
        snapshot_features: [ret_1, ret_12, vol_12, atr_14, rsi_14, ema_dist_21, h1_ret_1, spread_z_288]
        """;

    /// <summary>The three real files, read in place.</summary>
    public static DatasetSource Source() => new(
        [
            BarCsvReader.Read(TestData.File("EURUSD_M5_2025_mt5.csv"), "EURUSD"),
            BarCsvReader.Read(TestData.File("GBPUSD_M1_2012-02_fxcm_bidask.csv"), "GBPUSD"),
            BarCsvReader.Read(TestData.File("XAUUSD_M5_2025_mt5.csv"), "XAUUSD"),
        ],
        new Dictionary<string, string>());

    /// <summary>Builds the pooled dataset (<see cref="Config"/>, optionally edited) under a fresh temporary root.</summary>
    public static DatasetBuildResult Build(Func<string, string>? editConfig = null, DatasetBuildOptions? options = null) =>
        DatasetBuilder.Build(Source(), DatasetConfigLoader.Parse(editConfig is null ? Config : editConfig(Config)), TestData.TempDirectory("kairos-pooled"), options);

    /// <summary>
    /// Two builds of one dataset hold the same files, byte for byte; <c>dataset.json</c> may differ only in its creation
    /// time and the lineage of the build (config path, code version).
    /// </summary>
    public static void AssertSameFiles(string expected, string actual)
    {
        static string[] Names(string dir) => Directory.GetFiles(dir).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Names(expected), Names(actual));
        foreach (var name in Names(expected))
        {
            if (name == DatasetReader.MetadataFile)
            {
                static string Canonical(string file)
                {
                    var node = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
                    node.Remove("created_at");
                    return node.ToJsonString();
                }
                Assert.Equal(Canonical(Path.Combine(expected, name)), Canonical(Path.Combine(actual, name)));
                continue;
            }
            Assert.True(File.ReadAllBytes(Path.Combine(expected, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, name))),
                $"{name} differs: SHA-256 {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(expected, name))))} vs {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(actual, name))))}");
        }
    }
}
