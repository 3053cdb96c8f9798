using Kairos.Snapshots.Parsing;

namespace Kairos.Snapshots;

/// <summary>
/// The ingestion rules of one bar, and of one bar after another, as snapshot creation applies them (the same
/// rule names and messages): finite positive prices, high not below low, open and close inside the range,
/// finite non-negative volume, finite spread, strictly increasing time on the bar grid. Used by the parquet
/// reader and by live feeds (<c>kairos serve</c>).
/// </summary>
public static class BarRowRules
{
    public const string NonFiniteValue = "non-finite-value";
    public const string NonPositivePrice = "non-positive-price";
    public const string HighBelowLow = "high-below-low";
    public const string OpenOutsideRange = "open-outside-range";
    public const string CloseOutsideRange = "close-outside-range";
    public const string NegativeVolume = "negative-volume";
    public const string DuplicateTime = "duplicate-time";
    public const string NonIncreasingTime = "non-increasing-time";
    public const string OffGridTime = "off-grid-time";

    /// <summary>The first broken price rule of one OHLC quadruple; <paramref name="prefix"/> names the side (<c>ask_</c>).</summary>
    public static BarRuleViolation? CheckOhlc(double open, double high, double low, double close, string prefix = "")
    {
        foreach (var (name, v) in new[] { ("open", open), ("high", high), ("low", low), ("close", close) })
        {
            if (!double.IsFinite(v)) return new(NonFiniteValue, prefix + name, $"{prefix}{name} is {DelimitedBarParser.Num(v)}: values must be finite");
            if (v <= 0) return new(NonPositivePrice, prefix + name, $"{prefix}{name} {DelimitedBarParser.Num(v)} is not a positive price");
        }
        if (high < low) return new(HighBelowLow, prefix + "high", $"{prefix}high {DelimitedBarParser.Num(high)} is below {prefix}low {DelimitedBarParser.Num(low)}");
        if (open < low || open > high) return new(OpenOutsideRange, prefix + "open", $"{prefix}open {DelimitedBarParser.Num(open)} is outside [{DelimitedBarParser.Num(low)}, {DelimitedBarParser.Num(high)}]");
        if (close < low || close > high) return new(CloseOutsideRange, prefix + "close", $"{prefix}close {DelimitedBarParser.Num(close)} is outside [{DelimitedBarParser.Num(low)}, {DelimitedBarParser.Num(high)}]");
        return null;
    }

    /// <summary>A volume, where there is one (not null), finite and non-negative; a spread, where there is one, finite.</summary>
    public static BarRuleViolation? CheckVolumeAndSpread(double? volume, double? spread)
    {
        if (volume is { } vol && !double.IsFinite(vol)) return new(NonFiniteValue, "volume", $"volume is {DelimitedBarParser.Num(vol)}: values must be finite");
        if (volume is { } neg && neg < 0) return new(NegativeVolume, "volume", $"volume {DelimitedBarParser.Num(neg)} is negative");
        if (spread is { } s && !double.IsFinite(s)) return new(NonFiniteValue, "spread", $"spread is {DelimitedBarParser.Num(s)}: values must be finite");
        return null;
    }

    /// <summary>A bar opened at <paramref name="time"/> after one opened at <paramref name="previous"/> (null: the first), on a grid of <paramref name="barSeconds"/>.</summary>
    public static BarRuleViolation? CheckTime(long time, long? previous, long barSeconds)
    {
        if (previous is { } p && time <= p)
            return time == p
                ? new(DuplicateTime, "time", $"time {DelimitedBarParser.Iso(time)} repeats the previous bar's time")
                : new(NonIncreasingTime, "time", $"time {DelimitedBarParser.Iso(time)} is before the previous bar's {DelimitedBarParser.Iso(p)}: times must increase strictly");
        if (barSeconds > 0 && time % barSeconds != 0)
            return new(OffGridTime, "time", $"time {DelimitedBarParser.Iso(time)} is not on the {BarRules.FormatBarSize(barSeconds)} bar grid (bars open at whole multiples of the bar size since 1970-01-01T00:00Z)");
        return null;
    }
}
