using Kairos.Errors;
using Kairos.Settings;

namespace Kairos.Replay;

/// <summary>
/// The entry rule, costs, entry-quality window and context test of a replay (YAML section
/// <c>replay</c>, docs/replay.md). Defaults follow the design notes: 6-bar entry quality in ATR units.
/// </summary>
public sealed record ReplayOptions
{
    /// <summary>The settings a user sets (<c>kairos replay</c> and <c>serve</c> flags, the run config's <c>replay:</c> keys), defined once.</summary>
    public static class Settings
    {
        public static readonly DoubleSetting LongThreshold = new("long_threshold", 0.55, 0, 1, "Open a long when p_long is at least this.");
        public static readonly DoubleSetting ShortThreshold = new("short_threshold", 0.55, 0, 1, "Open a short when p_short = 1 - p_long is at least this.");
        public static readonly IntSetting Permutations = new("permutations", 1000, 99, 1_000_000, "Permutations of the context-usage test.");
        public static readonly DoubleSetting CommissionBps = new("commission_bps", 0, 0, 10_000, "Commission per side, basis points.");
        public static readonly DoubleSetting SlippageBps = new("slippage_bps", 0, 0, 10_000, "Slippage per side, basis points.");
        public static readonly DoubleSetting ConstantSpreadBps = new("constant_spread_bps", 0, 0, 10_000, "A constant spread in basis points instead of the bars' own.");
    }

    /// <summary>An eligible bar opens a long trade when <c>p_long</c> is at least this.</summary>
    public double LongThreshold { get; init; } = Settings.LongThreshold.Default;

    /// <summary>An eligible bar opens a short trade when <c>p_short</c> is at least this (and shorts are allowed).</summary>
    public double ShortThreshold { get; init; } = Settings.ShortThreshold.Default;

    public bool AllowShort { get; init; } = true;

    /// <summary>When true a new trade opens only after the previous trade's entry-quality window has ended.</summary>
    public bool OnePositionAtATime { get; init; } = true;

    /// <summary>Bars after the entry bar over which MAE, MFE and goes-against-us are measured.</summary>
    public int EntryQualityBars { get; init; } = 6;

    /// <summary>Adverse excursion (ATR units, net of costs) that makes a trade "go against us" when reached first.</summary>
    public double AdverseAtr { get; init; } = 1.0;

    /// <summary>Favourable excursion (ATR units, net of costs) that clears a trade when reached first.</summary>
    public double FavourableAtr { get; init; } = 1.0;

    /// <summary>Commission per side in basis points of the entry price.</summary>
    public double CommissionBps { get; init; }

    /// <summary>Slippage in basis points of the entry price.</summary>
    public double SlippageBps { get; init; }

    /// <summary>Spread in basis points for bars without a spread; null = bars must carry their spread.</summary>
    public double? ConstantSpreadBps { get; init; }

    /// <summary>A jump between bar open times of more than one bar plus this many minutes is a data gap.</summary>
    public double MaxGapMinutes { get; init; } = 30;

    /// <summary>Label permutations of the context-usage test.</summary>
    public int Permutations { get; init; } = Settings.Permutations.Default;

    public int Seed { get; init; } = 1337;

    /// <summary>Significance level of the context-usage test.</summary>
    public double ContextAlpha { get; init; } = 0.01;

    /// <summary>Smallest share of <c>p_long</c> variance between buckets (eta squared) that counts as using context.</summary>
    public double MinContextEffect { get; init; } = 0.01;

    /// <summary>Every problem, each naming its setting by its configuration key (<c>long_threshold</c>).</summary>
    public IReadOnlyList<string> Validate() => Validate(static key => key);

    /// <summary>Every problem, each naming its setting as <paramref name="name"/> calls the configuration key (a command's option, say).</summary>
    public IReadOnlyList<string> Validate(Func<string, string> name)
    {
        var problems = new SettingProblems(name);
        void CheckSetting(DoubleSetting setting, double value) => problems.Check(setting.Allows(value), setting.Key, "must lie in " + setting.Range, value);
        CheckSetting(Settings.LongThreshold, LongThreshold);
        CheckSetting(Settings.ShortThreshold, ShortThreshold);
        problems.Check(EntryQualityBars >= 1, "entry_quality_bars", "must be at least 1", EntryQualityBars);
        problems.Check(AdverseAtr > 0, "adverse_atr", "must be positive", AdverseAtr);
        problems.Check(FavourableAtr > 0, "favourable_atr", "must be positive", FavourableAtr);
        CheckSetting(Settings.CommissionBps, CommissionBps);
        CheckSetting(Settings.SlippageBps, SlippageBps);
        if (ConstantSpreadBps is { } s) CheckSetting(Settings.ConstantSpreadBps, s);
        problems.Check(MaxGapMinutes >= 0, "max_gap_minutes", "must be non-negative", MaxGapMinutes);
        problems.Check(Settings.Permutations.Allows(Permutations), Settings.Permutations.Key, "must lie in " + Settings.Permutations.Range, Permutations);
        problems.Check(ContextAlpha is > 0 and < 1, "context_alpha", "must lie in (0, 1)", ContextAlpha);
        problems.Check(MinContextEffect is >= 0 and < 1, "min_context_effect", "must lie in [0, 1)", MinContextEffect);
        return problems.All;
    }

    public void ThrowIfInvalid(string source)
    {
        var problems = Validate();
        if (problems.Count > 0) throw new ConfigException(source, problems);
    }
}
