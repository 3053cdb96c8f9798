using Kairos.Datasets;
using Kairos.Errors;
using YamlDotNet.RepresentationModel;

namespace Kairos.Backtest;

/// <summary>
/// Reads <c>backtest.yaml</c> (docs/backtest.md), or the <c>backtest</c> section of a run config: every key of
/// <see cref="BacktestOptions"/> in snake_case; unknown keys (with a "did you mean") and invalid values are all reported
/// together with their dotted key and line, then the options' own rules.
/// </summary>
public static class BacktestOptionsLoader
{
    public static BacktestOptions LoadFile(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new ConfigException(path, ["file not found"]);
        var root = YamlSection.ParseDocument(File.ReadAllText(full), full, "backtest settings");
        var problems = new List<string>();
        var options = Read(root, "", problems);
        if (problems.Count > 0) throw new ConfigException(full, problems);
        return options;
    }

    /// <summary>Reads a mapping (null: every default) under the dotted <paramref name="path"/>, adding problems to <paramref name="problems"/>.</summary>
    public static BacktestOptions Read(YamlMappingNode? node, string path, List<string> problems)
    {
        var s = new YamlSection(node, path, problems);
        var d = new BacktestOptions();
        double? Optional(string key)
        {
            var text = s.Scalar(key);
            return text is null or "" or "~" or "null" ? null : s.Double(key, double.NaN, 0, double.MaxValue);
        }
        var options = d with
        {
            LongThreshold = s.Double("long_threshold", d.LongThreshold, 0, 1),
            ShortThreshold = s.Double("short_threshold", d.ShortThreshold, 0, 1),
            AllowShort = s.Bool("allow_short", d.AllowShort),
            Entry = s.Enum("entry", d.Entry),
            CommissionBps = s.Double("commission_bps", d.CommissionBps, 0, 10_000),
            SlippageBps = s.Double("slippage_bps", d.SlippageBps, 0, 10_000),
            ConstantSpreadBps = Optional("constant_spread_bps"),
            HorizonBars = s.Int("horizon_bars", d.HorizonBars, 1, 1_000_000),
            StopLossAtr = Optional("stop_loss_atr"),
            TakeProfitAtr = Optional("take_profit_atr"),
            ExitOnOpposite = s.Bool("exit_on_opposite", d.ExitOnOpposite),
            MaxPositions = s.Int("max_positions", d.MaxPositions, 1, 10_000),
            Sizing = s.Enum("sizing", d.Sizing),
            Units = s.Double("units", d.Units, 0, double.MaxValue, minExclusive: true),
            RiskFraction = s.Double("risk_fraction", d.RiskFraction, 0, 1, minExclusive: true),
            InitialCapital = s.Double("initial_capital", d.InitialCapital, 0, double.MaxValue, minExclusive: true),
            RandomDraws = s.Int("random_draws", d.RandomDraws, 0, 1_000_000),
            Bootstrap = s.Int("bootstrap", d.Bootstrap, 0, 1_000_000),
            Seed = s.Int("seed", d.Seed, 0, int.MaxValue),
            SweepBlocks = s.Int("sweep_blocks", d.SweepBlocks, 2, 24),
        };
        s.ReportUnknownKeys();
        var prefix = path.Length == 0 ? "" : path + ".";
        // Values already reported as unreadable fell back to NaN or the default; the options' own rules add the rest.
        problems.AddRange(options.Validate(key => prefix + key).Where(p => !p.Contains("got NaN", StringComparison.Ordinal)));
        return options;
    }
}
