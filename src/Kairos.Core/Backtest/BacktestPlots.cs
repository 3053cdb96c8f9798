using System.Globalization;
using Kairos.Reports;
using ScottPlot;

namespace Kairos.Backtest;

/// <summary>The backtest's figures as PNG bytes: the equity curve (with buy and hold) and the drawdown.</summary>
public static class BacktestPlots
{
    /// <summary>Net P&amp;L (equity minus the initial capital) marked at every bar's close over time, with 0 as a dashed line.</summary>
    public static byte[] Equity(BacktestResult result, int width = 1000, int height = 380)
    {
        var plot = new Plot();
        var (xs, ys) = Curve(result, result.CurveEquity.Select(e => e - result.Options.InitialCapital).ToArray());
        var line = plot.Add.Scatter(xs, ys);
        line.MarkerSize = 0;
        line.LineWidth = 1.5f;
        line.Color = Colors.SteelBlue;
        line.LegendText = $"strategy ({result.Totals.Trades} trades)";
        var start = plot.Add.HorizontalLine(0);
        start.LinePattern = LinePattern.Dashed;
        start.Color = Colors.Gray;
        plot.Axes.DateTimeTicksBottom();
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"{result.Symbol}: equity after costs (net P&L {result.Totals.NetPnl:G6} on {result.Options.InitialCapital:G6}, {result.Totals.Return:P3})"));
        plot.YLabel("net P&L (quote currency)");
        plot.ShowLegend(Alignment.UpperLeft);
        return PlotImage.Png(plot, width, height);
    }

    /// <summary>Drawdown from the running peak (percent, at or below 0).</summary>
    public static byte[] Drawdown(BacktestResult result, int width = 1000, int height = 300)
    {
        var peak = result.Options.InitialCapital;
        var dd = new double[result.CurveEquity.Length];
        for (var k = 0; k < dd.Length; k++)
        {
            peak = Math.Max(peak, result.CurveEquity[k]);
            dd[k] = peak > 0 ? (result.CurveEquity[k] / peak - 1) * 100 : 0;
        }
        var plot = new Plot();
        var (xs, ys) = Curve(result, dd);
        var fill = plot.Add.FillY(xs, ys, new double[ys.Length]);
        fill.FillColor = Colors.Red.WithAlpha(0.3);
        fill.LineColor = Colors.Red;
        plot.Axes.DateTimeTicksBottom();
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"drawdown (max {result.Totals.MaxDrawdown.Depth * 100:G4} %, {result.Totals.MaxDrawdown.DurationDays:F1} days)"));
        plot.YLabel("% below peak");
        return PlotImage.Png(plot, width, height);
    }

    /// <summary>At most about 4,000 points (every k-th bar, plus the last), as OLE dates for the time axis.</summary>
    private static (double[] X, double[] Y) Curve(BacktestResult result, double[] values)
    {
        var n = values.Length;
        if (n == 0) return ([DateTime.UnixEpoch.ToOADate()], [result.Options.InitialCapital]);
        var step = Math.Max(1, n / 4000);
        var xs = new List<double>();
        var ys = new List<double>();
        for (var k = 0; k < n; k += step)
        {
            xs.Add(DateTime.UnixEpoch.AddSeconds(result.CurveTime[k]).ToOADate());
            ys.Add(values[k]);
        }
        if ((n - 1) % step != 0)
        {
            xs.Add(DateTime.UnixEpoch.AddSeconds(result.CurveTime[n - 1]).ToOADate());
            ys.Add(values[n - 1]);
        }
        return (xs.ToArray(), ys.ToArray());
    }
}
