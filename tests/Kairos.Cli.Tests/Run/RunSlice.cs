namespace Kairos.Tests.Run;

/// <summary>
/// A small real-data <c>kairos run</c> setup: the first 20,000 bars (about 10 weeks) of EURUSD M5 2025 copied to a
/// temporary directory with a config sized to run end to end in seconds (short feature lists, 2 trials, 2 folds,
/// a small hybrid model on 512 samples for 2 epochs; entry thresholds of 0.5 so that
/// the barely trained model's replay and backtest open trades).
/// </summary>
internal static class RunSlice
{
    public const int Bars = 20_000;

    /// <summary>A fresh directory holding <c>eurusd_slice.csv</c>; returns the directory.</summary>
    public static string Directory(string prefix)
    {
        var dir = TestData.TempDirectory(prefix);
        File.WriteAllLines(Path.Combine(dir, "eurusd_slice.csv"), File.ReadLines(TestData.File("EURUSD_M5_2025_mt5.csv")).Take(Bars + 1));
        return dir;
    }

    /// <summary>Writes <c>name</c> into <paramref name="dir"/>: the slice config with the given hybrid epochs, sample limit, registry and PR-AUC gain the gate demands.</summary>
    public static string Config(string dir, string name, int epochs = 2, int limit = 512, string registry = "out/registry", double minPrAucGain = 0) =>
        Write(dir, name, $$"""
            input:
              files: [eurusd_slice.csv]
              symbol: EURUSD
            dataset:
            {{SmallRealData.DatasetYaml(indent: 2)}}
            trees:
              trials: 2
              folds: 2
              ensemble: 2
              max_iterations: 50
            hybrid:
              epochs: {{epochs}}
              batch_size: 32
              limit_samples: {{limit}}
              d_model: 32
              heads: 4
              layers: 1
              feed_forward: 64
              patience: 0
            evaluation:
              bootstrap: 50
            latency:
              samples: 50
              warmup: 10
            replay:
              window: 1w
              permutations: 99
              long_threshold: 0.5
              short_threshold: 0.5
            backtest:
              long_threshold: 0.5
              short_threshold: 0.5
              random_draws: 200
            gate:
              min_pr_auc_gain: {{minPrAucGain.ToString(System.Globalization.CultureInfo.InvariantCulture)}}
            registry: {{registry}}
            out: out
            """);

    /// <summary>
    /// Writes <c>name</c> into <paramref name="dir"/>: the smallest training a gate or loop test needs (no search, a
    /// 1-epoch hybrid of 256 samples, short latency and replay), with the given <c>input:</c>, <c>gate:</c> and
    /// registry (YAML flow mappings) and the shared small dataset unless <paramref name="dataset"/> (indented by 2) says otherwise.
    /// </summary>
    public static string TinyConfig(string dir, string name, string input, string gate, string registry, string? dataset = null) =>
        Write(dir, name, $$"""
            input: {{input}}
            dataset:
            {{dataset ?? SmallRealData.DatasetYaml(indent: 2)}}
            trees: {trials: 0, folds: 2, ensemble: 2, max_iterations: 40}
            hybrid: {epochs: 1, batch_size: 32, limit_samples: 256, d_model: 16, heads: 2, layers: 1, feed_forward: 32, patience: 0}
            evaluation: {bootstrap: 50}
            latency: {samples: 20, warmup: 5}
            replay: {window: 3d, permutations: 99}
            gate: {{gate}}
            registry: {{registry}}
            out: out
            """);

    public static string Write(string dir, string name, string yaml)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, yaml + "\n");
        return path;
    }
}
