using System.Globalization;
using Kairos.Errors;
using Kairos.Settings;

namespace Kairos.Backtest;

/// <summary>
/// The rules of a backtest, one property per key of <c>backtest.yaml</c> (docs/backtest.md), with the documented
/// defaults. Every setting is recorded in the result. <see cref="Validate()"/> reports every problem together.
/// </summary>
public sealed record BacktestOptions
{
    /// <summary>Keys a sweep may vary (numbers; the booleans as 0 or 1).</summary>
    public static readonly IReadOnlyList<string> SweepableKeys =
    [
        "long_threshold", "short_threshold", "allow_short", "horizon_bars", "stop_loss_atr", "take_profit_atr", "exit_on_opposite",
        "commission_bps", "slippage_bps", "constant_spread_bps", "max_positions", "units", "risk_fraction",
    ];

    /// <summary>Long when <c>p_long &gt;= long_threshold</c>.</summary>
    public double LongThreshold { get; init; } = 0.55;

    /// <summary>Short when <c>1 - p_long &gt;= short_threshold</c> (and <see cref="AllowShort"/>).</summary>
    public double ShortThreshold { get; init; } = 0.55;

    public bool AllowShort { get; init; } = true;

    /// <summary>Fill at the next bar's open (default) or at the decision bar's close.</summary>
    public EntryFill Entry { get; init; } = EntryFill.NextOpen;

    /// <summary>Commission per side, in basis points of the entry fill.</summary>
    public double CommissionBps { get; init; }

    /// <summary>Slippage per fill (two fills per trade), in basis points of the entry fill.</summary>
    public double SlippageBps { get; init; }

    /// <summary>Spread of every bar in basis points of its bid price, instead of the bars' own; null: the bars' ask columns or spread.</summary>
    public double? ConstantSpreadBps { get; init; }

    /// <summary>The position is closed at the close of the horizon-th bar counted from the entry bar (bar 1).</summary>
    public int HorizonBars { get; init; } = 12;

    /// <summary>Stop distance in ATRs of the decision bar from the entry fill; null: no stop.</summary>
    public double? StopLossAtr { get; init; }

    /// <summary>Profit target in ATRs of the decision bar from the entry fill; null: none.</summary>
    public double? TakeProfitAtr { get; init; }

    /// <summary>Close an open position at the close of a candidate whose signal is the opposite side.</summary>
    public bool ExitOnOpposite { get; init; }

    /// <summary>Positions open at once per symbol; with 1 a candidate opens only when its entry bar comes after the previous trade's exit bar.</summary>
    public int MaxPositions { get; init; } = 1;

    public PositionSizing Sizing { get; init; } = PositionSizing.FixedUnits;

    /// <summary>Units per trade with <see cref="PositionSizing.FixedUnits"/>.</summary>
    public double Units { get; init; } = 1;

    /// <summary>Fraction of equity at risk per trade with <see cref="PositionSizing.FractionAtRisk"/> (needs a stop).</summary>
    public double RiskFraction { get; init; } = 0.01;

    /// <summary>Starting equity, in the quote currency.</summary>
    public double InitialCapital { get; init; } = 100_000;

    /// <summary>Seeded random-entry draws of the baseline.</summary>
    public int RandomDraws { get; init; } = 1000;

    /// <summary>Bootstrap resamples of the expectancy interval.</summary>
    public int Bootstrap { get; init; } = 1000;

    public int Seed { get; init; } = 1337;

    /// <summary>Time blocks of a sweep's CSCV (probability of backtest overfitting): even, 2..24.</summary>
    public int SweepBlocks { get; init; } = 16;

    /// <summary>Every problem, each naming its key.</summary>
    public IReadOnlyList<string> Validate() => Validate(static key => key);

    /// <summary>Every problem, each naming its setting as <paramref name="name"/> calls the key (a command option, a dotted YAML key).</summary>
    public IReadOnlyList<string> Validate(Func<string, string> name)
    {
        var problems = new SettingProblems(name);
        problems.Check(LongThreshold is >= 0 and <= 1, "long_threshold", "must lie in [0, 1]", LongThreshold);
        problems.Check(ShortThreshold is >= 0 and <= 1, "short_threshold", "must lie in [0, 1]", ShortThreshold);
        problems.Check(CommissionBps is >= 0 and < 10_000, "commission_bps", "must lie in [0, 10000)", CommissionBps);
        problems.Check(SlippageBps is >= 0 and < 10_000, "slippage_bps", "must lie in [0, 10000)", SlippageBps);
        if (ConstantSpreadBps is { } s) problems.Check(s is >= 0 and < 10_000, "constant_spread_bps", "must lie in [0, 10000)", s);
        problems.Check(HorizonBars is >= 1 and <= 1_000_000, "horizon_bars", "must lie in [1, 1000000]", HorizonBars);
        if (StopLossAtr is { } sl) problems.Check(sl > 0 && double.IsFinite(sl), "stop_loss_atr", "must be positive", sl);
        if (TakeProfitAtr is { } tp) problems.Check(tp > 0 && double.IsFinite(tp), "take_profit_atr", "must be positive", tp);
        problems.Check(MaxPositions is >= 1 and <= 10_000, "max_positions", "must lie in [1, 10000]", MaxPositions);
        problems.Check(Units > 0 && double.IsFinite(Units), "units", "must be positive", Units);
        problems.Check(RiskFraction is > 0 and <= 1, "risk_fraction", "must lie in (0, 1]", RiskFraction);
        if (Sizing == PositionSizing.FractionAtRisk)
            problems.Check(StopLossAtr is not null, "sizing", "fraction_at_risk sizes by the stop distance and needs stop_loss_atr", "no stop_loss_atr");
        problems.Check(InitialCapital > 0 && double.IsFinite(InitialCapital), "initial_capital", "must be positive", InitialCapital);
        problems.Check(RandomDraws is >= 0 and <= 1_000_000, "random_draws", "must lie in [0, 1000000]", RandomDraws);
        problems.Check(Bootstrap is >= 0 and <= 1_000_000, "bootstrap", "must lie in [0, 1000000]", Bootstrap);
        problems.Check(SweepBlocks is >= 2 and <= 24 && SweepBlocks % 2 == 0, "sweep_blocks", "must be even and lie in [2, 24]", SweepBlocks);
        return problems.All;
    }

    public void ThrowIfInvalid(string source)
    {
        var problems = Validate();
        if (problems.Count > 0) throw new ConfigException(source, problems);
    }

    /// <summary>
    /// These options with one sweepable key set to <paramref name="value"/>; null and a problem for a key that is not
    /// sweepable or a value it cannot take (an integer key given a fraction, a boolean key given other than 0 or 1).
    /// </summary>
    public BacktestOptions? With(string key, double value, out string? problem)
    {
        problem = null;
        int? Integer() => Math.Abs(value - Math.Round(value)) < 1e-9 && Math.Abs(value) < int.MaxValue ? (int)Math.Round(value) : null;
        bool? Flag() => value == 0 ? false : value == 1 ? true : null;
        BacktestOptions? result = key switch
        {
            "long_threshold" => this with { LongThreshold = value },
            "short_threshold" => this with { ShortThreshold = value },
            "allow_short" => Flag() is { } b ? this with { AllowShort = b } : null,
            "horizon_bars" => Integer() is { } h ? this with { HorizonBars = h } : null,
            "stop_loss_atr" => this with { StopLossAtr = value },
            "take_profit_atr" => this with { TakeProfitAtr = value },
            "exit_on_opposite" => Flag() is { } e ? this with { ExitOnOpposite = e } : null,
            "commission_bps" => this with { CommissionBps = value },
            "slippage_bps" => this with { SlippageBps = value },
            "constant_spread_bps" => this with { ConstantSpreadBps = value },
            "max_positions" => Integer() is { } m ? this with { MaxPositions = m } : null,
            "units" => this with { Units = value },
            "risk_fraction" => this with { RiskFraction = value },
            _ => null,
        };
        if (result is null)
            problem = SweepableKeys.Contains(key)
                ? string.Create(CultureInfo.InvariantCulture, $"{key} cannot take {value} ({(key is "allow_short" or "exit_on_opposite" ? "0 or 1" : "a whole number")})")
                : $"'{key}' is not a key a sweep can vary; one of: {string.Join(", ", SweepableKeys)}";
        return result;
    }
}
