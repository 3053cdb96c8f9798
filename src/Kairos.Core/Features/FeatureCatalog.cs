using System.Globalization;
using Kairos.Features.Indicators;

namespace Kairos.Features;

/// <summary>
/// The feature vocabulary. A feature is named by family and parameters (<c>ret_12</c>, <c>ema_dist_50</c>,
/// <c>atr_ratio_5_28</c>); <c>h1_</c> / <c>h4_</c> in front of a name computes it over completed H1 / H4
/// bars. docs/config.md lists every family with its formula and warm-up.
/// </summary>
public static class FeatureCatalog
{
    /// <summary>The 88 default snapshot features.</summary>
    public static IReadOnlyList<string> DefaultSnapshotFeatures { get; } =
    [
        "ret_1", "ret_2", "ret_3", "ret_5", "ret_8", "ret_12", "ret_24", "ret_48", "ret_96", "ret_288",
        "vol_6", "vol_12", "vol_24", "vol_48", "vol_96", "vol_288",
        "atr_5", "atr_14", "atr_28", "atr_96", "atr_ratio_5_28", "park_12", "park_48",
        "range_bps", "range_atr", "body", "upper_wick", "lower_wick", "close_pos", "body_atr", "gap_atr",
        "ema_dist_8", "ema_dist_21", "ema_dist_50", "ema_dist_100", "ema_dist_200",
        "ema_slope_8", "ema_slope_21", "ema_slope_50", "ema_slope_100", "ema_slope_200",
        "ema_cross_8_21", "ema_cross_21_50", "ema_cross_50_200",
        "rsi_7", "rsi_14", "rsi_28", "z_20", "z_50", "z_100",
        "hh_20", "hh_50", "hh_100", "ll_20", "ll_50", "ll_100", "donch_20", "donch_100", "bbw_20",
        "macd", "macd_signal", "macd_hist", "er_12", "er_48",
        "volu_z_12", "volu_z_48", "volu_z_288", "volu_ratio_48",
        "tod_sin", "tod_cos", "dow_sin", "dow_cos", "spread_ratio_288", "spread_z_288",
        "h1_ret_1", "h1_ret_4", "h1_ema_dist_20", "h1_range_bps", "h1_rsi_14", "h1_atr_14", "h1_z_20",
        "h4_ret_1", "h4_ret_4", "h4_ema_dist_20", "h4_range_bps", "h4_rsi_14", "h4_atr_14", "h4_z_20",
    ];

    /// <summary>The 16 default sequence features (per bar of the window).</summary>
    public static IReadOnlyList<string> DefaultSequenceFeatures { get; } =
    [
        "ret_1", "ret_3", "ret_12", "vol_12", "atr_14", "ema_dist_21", "ema_dist_50", "rsi_14", "z_20",
        "body", "upper_wick", "lower_wick", "range_bps", "volu_z_48", "tod_sin", "tod_cos",
    ];

    /// <summary>Higher timeframes addressable by prefix.</summary>
    public static IReadOnlyDictionary<string, TimeSpan> HigherTimeframes { get; } = new Dictionary<string, TimeSpan>
    {
        ["h1_"] = TimeSpan.FromHours(1),
        ["h4_"] = TimeSpan.FromHours(4),
    };

    private static readonly string[] Fixed =
    [
        "range_bps", "range_atr", "body", "upper_wick", "lower_wick", "close_pos", "body_atr", "gap_atr",
        "macd", "macd_signal", "macd_hist", "tod_sin", "tod_cos", "dow_sin", "dow_cos",
    ];

    // Longest first, so that "volu_z_" wins over "vol_".
    private static readonly (string Prefix, int Arity, int Min)[] Families =
    [
        ("spread_ratio_", 1, 2), ("atr_ratio_", 2, 1), ("ema_slope_", 1, 1), ("ema_cross_", 2, 1), ("volu_ratio_", 1, 1),
        ("spread_z_", 1, 2), ("ema_dist_", 1, 1), ("volu_z_", 1, 2), ("donch_", 1, 1), ("park_", 1, 1),
        ("ret_", 1, 1), ("vol_", 1, 2), ("atr_", 1, 1), ("rsi_", 1, 1), ("bbw_", 1, 2), ("er_", 1, 1),
        ("hh_", 1, 1), ("ll_", 1, 1), ("z_", 1, 2),
    ];

    private const int MaxParameter = 100_000;

    /// <summary>The family of the 11 <see cref="RelativeTransform"/> features (<c>rel_*</c>), sharing one transform per timeframe.</summary>
    private const string RelativeFamily = "rel_";

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
            if (names[i] == name) return i;
        return -1;
    }

    /// <summary>Null when <paramref name="name"/> is a valid feature name, otherwise why it is not.</summary>
    public static string? Validate(string name)
    {
        foreach (var (prefix, _) in HigherTimeframes)
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var inner = name[prefix.Length..];
            if (inner.StartsWith("tod_", StringComparison.Ordinal) || inner.StartsWith("dow_", StringComparison.Ordinal))
                return $"'{name}': time-of-day and day-of-week features exist on the base bars only";
            if (inner.StartsWith("spread", StringComparison.Ordinal))
                return $"'{name}': spread features exist on the base bars only";
            return Validate(inner) is { } error ? $"'{name}': {error}" : null;
        }
        return Parse(name, out _, out _, out _) ? null : $"unknown feature '{name}' (see docs/config.md, \"Feature names\")";
    }

    /// <summary>True when the feature reads the volume (<c>volu_*</c>, also on H1/H4; left out when volume is absent).</summary>
    public static bool UsesVolume(string name)
    {
        foreach (var prefix in HigherTimeframes.Keys)
            if (name.StartsWith(prefix, StringComparison.Ordinal))
                return UsesVolume(name[prefix.Length..]);
        return name.StartsWith("volu_", StringComparison.Ordinal);
    }

    /// <summary>True when the feature reads the spread (left out when the spread source is absent).</summary>
    public static bool UsesSpread(string name) => name.StartsWith("spread_", StringComparison.Ordinal);

    private static bool Parse(string name, out string family, out int a, out int b)
    {
        family = name;
        a = b = 0;
        if (Array.IndexOf(Fixed, name) >= 0) return true;
        var relative = IndexOf(RelativeTransform.FeatureNames, name);
        if (relative >= 0)
        {
            family = RelativeFamily;
            a = relative;
            return true;
        }
        foreach (var (prefix, arity, min) in Families)
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            family = prefix;
            var parts = name[prefix.Length..].Split('_');
            if (parts.Length != arity) return false;
            if (!TryInt(parts[0], min, out a)) return false;
            if (arity == 2 && !TryInt(parts[1], min, out b)) return false;
            return true;
        }
        return false;
    }

    private static bool TryInt(string s, int min, out int value) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= MaxParameter &&
        value.ToString(CultureInfo.InvariantCulture) == s;

    /// <summary>Builds the kernel of a base-timeframe feature (no h1_/h4_ prefix).</summary>
    internal static FeatureKernel Create(string name, IndicatorSet set)
    {
        if (!Parse(name, out var family, out var a, out var b))
            throw new ArgumentException($"unknown feature '{name}'", nameof(name));
        const double Bps = 1e4;
        var s = set.State;
        switch (family)
        {
            case "ret_":
            {
                set.NeedCloses(a);
                return new FeatureKernel(name, a + 1, () => s.Bars > a, st => Math.Log(st.Close / set.CloseAgo(a)));
            }
            case "vol_":
            {
                var m = set.Indicator("moments" + a, SeriesInput.LogReturn, () => new RollingMoments(a));
                return new FeatureKernel(name, a + 1, () => m.IsReady, _ => m.StandardDeviation);
            }
            case "atr_":
            {
                var atr = set.Atr(a);
                return new FeatureKernel(name, a, () => atr.IsReady, st => atr.Current / st.Close);
            }
            case "atr_ratio_":
            {
                var x = set.Atr(a);
                var y = set.Atr(b);
                return new FeatureKernel(name, Math.Max(a, b), () => x.IsReady && y.IsReady, _ => Ratio(x.Current, y.Current, 1.0));
            }
            case "park_":
            {
                var sum = set.Indicator("sum" + a, SeriesInput.ParkinsonTerm, () => new RollingSum(a));
                var scale = 1.0 / (4 * Math.Log(2) * a);
                return new FeatureKernel(name, a, () => sum.IsReady, _ => Math.Sqrt(Math.Max(sum.Current, 0) * scale));
            }
            case "range_bps":
                return new FeatureKernel(name, 1, () => s.Bars > 0, st => (st.High - st.Low) / st.Close * Bps);
            case "range_atr":
            {
                var atr = set.Atr(14);
                return new FeatureKernel(name, 14, () => atr.IsReady, st => Ratio(st.High - st.Low, atr.Current, 0.0));
            }
            case "body":
                return new FeatureKernel(name, 1, () => s.Bars > 0, st => Ratio(st.Close - st.Open, st.High - st.Low, 0.0));
            case "upper_wick":
                return new FeatureKernel(name, 1, () => s.Bars > 0, st => Ratio(st.High - Math.Max(st.Open, st.Close), st.High - st.Low, 0.0));
            case "lower_wick":
                return new FeatureKernel(name, 1, () => s.Bars > 0, st => Ratio(Math.Min(st.Open, st.Close) - st.Low, st.High - st.Low, 0.0));
            case "close_pos":
                return new FeatureKernel(name, 1, () => s.Bars > 0, st => Ratio(st.Close - st.Low, st.High - st.Low, 0.5));
            case "body_atr":
            {
                var atr = set.Atr(14);
                return new FeatureKernel(name, 14, () => atr.IsReady, st => Ratio(st.Close - st.Open, atr.Current, 0.0));
            }
            case "gap_atr":
            {
                var atr = set.Atr(14);
                return new FeatureKernel(name, 14, () => atr.IsReady && s.Bars > 1, st => Ratio(st.Open - st.PrevClose, atr.Current, 0.0));
            }
            case "ema_dist_":
            {
                var ema = set.Ema(a);
                return new FeatureKernel(name, a, () => ema.IsReady, st => (st.Close - ema.Current) / st.Close);
            }
            case "ema_slope_":
            {
                const int Lag = 5;
                var ema = set.Ema(a);
                var history = set.Derived("emahist" + a, () => new RollingWindow(Lag + 1), w => _ => w.Add(ema.Current));
                return new FeatureKernel(name, a + Lag, () => ema.Samples >= a + Lag, _ => history[0] / history[Lag] - 1);
            }
            case "ema_cross_":
            {
                var x = set.Ema(a);
                var y = set.Ema(b);
                return new FeatureKernel(name, Math.Max(a, b), () => x.IsReady && y.IsReady, st => (x.Current - y.Current) / st.Close);
            }
            case "rsi_":
            {
                var up = set.Indicator("wilder" + a, SeriesInput.Gain, () => ExponentialMovingAverage.Wilder(a));
                var down = set.Indicator("wilder" + a, SeriesInput.Loss, () => ExponentialMovingAverage.Wilder(a));
                return new FeatureKernel(name, a + 1, () => up.IsReady, _ => Rsi(up.Current, down.Current));
            }
            case "z_":
            {
                var m = set.Indicator("moments" + a, SeriesInput.Close, () => new RollingMoments(a));
                return new FeatureKernel(name, a, () => m.IsReady, st => Ratio(st.Close - m.Mean, m.StandardDeviation, 0.0));
            }
            case "bbw_":
            {
                var m = set.Indicator("moments" + a, SeriesInput.Close, () => new RollingMoments(a));
                return new FeatureKernel(name, a, () => m.IsReady, _ => 4 * m.StandardDeviation / m.Mean);
            }
            case "hh_":
            {
                var hi = set.Indicator("max" + a, SeriesInput.High, () => RollingExtremum.Max(a));
                return new FeatureKernel(name, a, () => hi.IsReady, st => (hi.Current - st.Close) / st.Close);
            }
            case "ll_":
            {
                var lo = set.Indicator("min" + a, SeriesInput.Low, () => RollingExtremum.Min(a));
                return new FeatureKernel(name, a, () => lo.IsReady, st => (st.Close - lo.Current) / st.Close);
            }
            case "donch_":
            {
                var hi = set.Indicator("max" + a, SeriesInput.High, () => RollingExtremum.Max(a));
                var lo = set.Indicator("min" + a, SeriesInput.Low, () => RollingExtremum.Min(a));
                return new FeatureKernel(name, a, () => hi.IsReady, st => Ratio(st.Close - lo.Current, hi.Current - lo.Current, 0.5));
            }
            case "er_":
            {
                set.NeedCloses(a);
                var path = set.Indicator("sum" + a, SeriesInput.AbsChange, () => new RollingSum(a));
                return new FeatureKernel(name, a + 1, () => path.IsReady, st => Ratio(Math.Abs(st.Close - set.CloseAgo(a)), path.Current, 0.0));
            }
            case "macd":
            case "macd_signal":
            case "macd_hist":
            {
                var fast = set.Ema(12);
                var slow = set.Ema(26);
                var signal = set.Derived("macdsignal", () => ExponentialMovingAverage.Span(9),
                    e => st => { if (slow.IsReady) e.Update((fast.Current - slow.Current) / st.Close); });
                return family switch
                {
                    "macd" => new FeatureKernel(name, 26, () => slow.IsReady, st => (fast.Current - slow.Current) / st.Close),
                    "macd_signal" => new FeatureKernel(name, 26 + 8, () => signal.IsReady, _ => signal.Current),
                    _ => new FeatureKernel(name, 26 + 8, () => signal.IsReady, st => (fast.Current - slow.Current) / st.Close - signal.Current),
                };
            }
            case "volu_z_":
            {
                var m = set.Indicator("moments" + a, SeriesInput.Volume, () => new RollingMoments(a));
                return new FeatureKernel(name, a, () => m.IsReady, st => Ratio(st.Volume - m.Mean, m.StandardDeviation, 0.0));
            }
            case "volu_ratio_":
            {
                var m = set.Indicator("moments" + Math.Max(a, 2), SeriesInput.Volume, () => new RollingMoments(Math.Max(a, 2)));
                return new FeatureKernel(name, a, () => m.IsReady, st => Ratio(st.Volume, m.Mean, 0.0));
            }
            case "tod_sin":
                return new FeatureKernel(name, 1, () => s.Bars > 0, st => Math.Sin(2 * Math.PI * DayFraction(st.Time)));
            case "tod_cos":
                return new FeatureKernel(name, 1, () => s.Bars > 0, st => Math.Cos(2 * Math.PI * DayFraction(st.Time)));
            case "dow_sin":
                return new FeatureKernel(name, 1, () => s.Bars > 0, st => Math.Sin(2 * Math.PI * DayOfWeek(st.Time) / 7));
            case "dow_cos":
                return new FeatureKernel(name, 1, () => s.Bars > 0, st => Math.Cos(2 * Math.PI * DayOfWeek(st.Time) / 7));
            case "spread_ratio_":
            {
                var m = set.Indicator("moments" + a, SeriesInput.SpreadBps, () => new RollingMoments(a));
                return new FeatureKernel(name, a, () => m.IsReady, st => Ratio(st.SpreadBps, m.Mean, 1.0));
            }
            case "spread_z_":
            {
                var m = set.Indicator("moments" + a, SeriesInput.SpreadBps, () => new RollingMoments(a));
                return new FeatureKernel(name, a, () => m.IsReady, st => Ratio(st.SpreadBps - m.Mean, m.StandardDeviation, 0.0));
            }
            case RelativeFamily:
            {
                var index = a;
                var relative = set.Derived("relative", () => new RelativeTransform(), t => st => t.Update(st.Open, st.High, st.Low, st.Close));
                return new FeatureKernel(name, relative.WarmUp(index), () => relative.IsFeatureReady(index), _ => relative.Values[index]);
            }
            default:
                throw new ArgumentException($"unknown feature '{name}'", nameof(name));
        }
    }

    /// <summary>n / d, or <paramref name="whenZero"/> when d is zero (a flat bar, a constant window).</summary>
    private static double Ratio(double n, double d, double whenZero) => d == 0 ? whenZero : n / d;

    private static double Rsi(double up, double down) =>
        down == 0 ? (up == 0 ? 50.0 : 100.0) : 100.0 - 100.0 / (1.0 + up / down);

    private static double DayFraction(long t) => (((t % 86400) + 86400) % 86400) / 86400.0;

    /// <summary>Monday = 0 ... Sunday = 6 (1970-01-01 was a Thursday).</summary>
    private static int DayOfWeek(long t) => (int)((Math.Floor(t / 86400.0) + 3) % 7 + 7) % 7;
}
