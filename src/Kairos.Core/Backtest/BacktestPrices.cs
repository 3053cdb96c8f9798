using System.Globalization;
using Kairos.Snapshots;

namespace Kairos.Backtest;

/// <summary>
/// Bid and ask prices of every bar. Bars hold bid prices; the ask is, in this order of preference:
/// bid + <c>constant_spread_bps</c> of the close when set, the bars' ask columns, bid + the bar's spread column. An ask
/// below the bid (bid and ask bars built independently) counts as the bid, as a negative spread counts as zero.
/// </summary>
internal sealed class BacktestPrices
{
    private BacktestPrices(BarSeries bars, double[] askOpen, double[] askHigh, double[] askLow, double[] askClose, string source)
    {
        Bars = bars;
        AskOpen = askOpen;
        AskHigh = askHigh;
        AskLow = askLow;
        AskClose = askClose;
        Source = source;
    }

    public BarSeries Bars { get; }
    public double[] AskOpen { get; }
    public double[] AskHigh { get; }
    public double[] AskLow { get; }
    public double[] AskClose { get; }

    /// <summary>Where the ask came from: <c>constant_spread_bps</c>, <c>ask_columns</c> or <c>spread_column</c>.</summary>
    public string Source { get; }

    /// <summary>Why these bars cannot be priced with <paramref name="options"/> (no spread of any kind), or null.</summary>
    public static string? Problem(BarSeries bars, BacktestOptions options)
    {
        if (options.ConstantSpreadBps is not null || bars.Ask is not null) return null;
        if (bars.Spread is null)
            return $"{bars.Symbol}: the bars have no spread column and no ask prices; set constant_spread_bps (the spread the dataset assumed, 0 for none)";
        for (var i = 0; i < bars.Count; i++)
            if (!double.IsFinite(bars.Spread[i]))
                return string.Create(CultureInfo.InvariantCulture,
                    $"{bars.Symbol}: bar {DateTimeOffset.FromUnixTimeSeconds(bars.Time[i]).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} has no spread; set constant_spread_bps");
        return null;
    }

    public static BacktestPrices Of(BarSeries bars, BacktestOptions options)
    {
        if (Problem(bars, options) is { } problem) throw new Errors.ConfigException("backtest", [problem]);
        var n = bars.Count;
        var o = new double[n];
        var h = new double[n];
        var l = new double[n];
        var c = new double[n];
        string source;
        if (options.ConstantSpreadBps is { } bps)
        {
            source = "constant_spread_bps";
            for (var i = 0; i < n; i++)
            {
                var s = bps / 1e4 * bars.Close[i];
                o[i] = bars.Open[i] + s;
                h[i] = bars.High[i] + s;
                l[i] = bars.Low[i] + s;
                c[i] = bars.Close[i] + s;
            }
        }
        else if (bars.Ask is { } ask)
        {
            source = "ask_columns";
            for (var i = 0; i < n; i++)
            {
                o[i] = Math.Max(ask.Open[i], bars.Open[i]);
                h[i] = Math.Max(ask.High[i], bars.High[i]);
                l[i] = Math.Max(ask.Low[i], bars.Low[i]);
                c[i] = Math.Max(ask.Close[i], bars.Close[i]);
            }
        }
        else
        {
            source = "spread_column";
            var spread = bars.Spread!;
            for (var i = 0; i < n; i++)
            {
                var s = Math.Max(spread[i], 0);
                o[i] = bars.Open[i] + s;
                h[i] = bars.High[i] + s;
                l[i] = bars.Low[i] + s;
                c[i] = bars.Close[i] + s;
            }
        }
        return new BacktestPrices(bars, o, h, l, c, source);
    }
}
