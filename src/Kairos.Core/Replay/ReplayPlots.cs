using Kairos.Reports;
using ScottPlot;

namespace Kairos.Replay;

/// <summary>The replay report's figures as PNG bytes: p_long distribution, p_long by context, trade MAE / MFE.</summary>
public static class ReplayPlots
{
    private static readonly IPalette Palette = new ScottPlot.Palettes.Category10();

    /// <summary>Histogram of candidates' p_long per model, with the long and short entry thresholds.</summary>
    public static byte[] PLongHistogram(IReadOnlyList<ReplayReport> reports, int width = 900, int height = 380)
    {
        var values = reports.Select(r => CandidatePLong(r)).ToList();
        var all = values.SelectMany(v => v).ToList();
        var plot = new Plot();
        var options = reports[0].Options;
        var lo = all.Count == 0 ? 0 : Math.Min(all.Min(), Math.Min(options.LongThreshold, 1 - options.ShortThreshold));
        var hi = all.Count == 0 ? 1 : Math.Max(all.Max(), Math.Max(options.LongThreshold, 1 - options.ShortThreshold));
        var pad = Math.Max((hi - lo) * 0.05, 1e-3);
        lo = Math.Max(0, lo - pad);
        hi = Math.Min(1, hi + pad);
        const int bins = 40;
        var step = (hi - lo) / bins;
        for (var m = 0; m < reports.Count; m++)
        {
            var counts = new double[bins];
            foreach (var v in values[m]) counts[Math.Clamp((int)((v - lo) / step), 0, bins - 1)]++;
            var total = Math.Max(1, values[m].Count);
            var xs = Enumerable.Range(0, bins).Select(i => lo + (i + 0.5) * step).ToArray();
            var ys = counts.Select(c => c / total).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            line.Color = Palette.GetColor(m);
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.ConnectStyle = ConnectStyle.StepVertical;
            line.LegendText = $"{reports[m].Model.Name} (n = {values[m].Count})";
        }
        var longLine = plot.Add.VerticalLine(options.LongThreshold);
        longLine.LinePattern = LinePattern.Dashed;
        longLine.Color = Colors.Green;
        longLine.LegendText = $"long threshold {options.LongThreshold:0.###}";
        if (options.AllowShort)
        {
            var shortLine = plot.Add.VerticalLine(1 - options.ShortThreshold);
            shortLine.LinePattern = LinePattern.Dashed;
            shortLine.Color = Colors.Red;
            shortLine.LegendText = $"short threshold (p_long <= {1 - options.ShortThreshold:0.###})";
        }
        plot.Axes.SetLimitsX(lo, hi);
        plot.Title("p_long of candidate bars");
        plot.XLabel("p_long");
        plot.YLabel("share of candidates");
        plot.ShowLegend(Alignment.UpperRight);
        return PlotImage.Png(plot, width, height);
    }

    /// <summary>Box plots of p_long per bucket of session, volatility regime and trend regime (box p25-p75, whiskers p05-p95, line median).</summary>
    public static byte[] PLongByContext(IReadOnlyList<ReplayReport> reports, int panelWidth = 420, int panelHeight = 380)
    {
        var groupings = reports[0].Context.Groupings.Select(g => g.Name).ToList();
        var plots = new List<Plot>();
        foreach (var name in groupings)
        {
            var plot = new Plot();
            var first = reports[0].Context.Groupings.First(g => g.Name == name);
            var k = first.Buckets.Count;
            var width = 0.8 / reports.Count;
            var titles = new List<string>();
            for (var m = 0; m < reports.Count; m++)
            {
                var grouping = reports[m].Context.Groupings.First(g => g.Name == name);
                var boxes = new List<Box>();
                foreach (var bucket in grouping.Buckets)
                {
                    var s = bucket.PLong;
                    if (s.Count == 0) continue;
                    boxes.Add(new Box
                    {
                        Position = bucket.Id - 0.4 + width * (m + 0.5),
                        BoxMin = s.P25!.Value,
                        BoxMax = s.P75!.Value,
                        WhiskerMin = s.P05!.Value,
                        WhiskerMax = s.P95!.Value,
                        BoxMiddle = s.P50!.Value,
                        Width = width * 0.8,
                        FillStyle = { Color = Palette.GetColor(m).WithAlpha(0.5) },
                        LineStyle = { Color = Palette.GetColor(m) },
                    });
                }
                if (boxes.Count > 0)
                {
                    var plotted = plot.Add.Boxes(boxes);
                    plotted.LegendText = reports[m].Model.Name;
                }
                titles.Add(grouping.Test is { } t ? $"eta2 {t.EtaSquared:0.000}, p {t.PValue:0.000}" : "no test");
            }
            var ticks = first.Buckets.Select(b => new Tick(b.Id, $"{b.Name}\nn={string.Join("/", reports.Select(r => r.Context.Groupings.First(g => g.Name == name).Buckets[b.Id].PLong.Count))}")).ToArray();
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
            plot.Axes.SetLimitsX(-0.6, k - 0.4);
            plot.Title($"{name}: {string.Join(" | ", titles)}", size: 12);
            plot.YLabel("p_long");
            if (reports.Count > 1) plot.ShowLegend(Alignment.UpperRight);
            plots.Add(plot);
        }
        return PlotImage.Panels(panelWidth, panelHeight, plots, plots.Count);
    }

    /// <summary>MAE against MFE (ATR units) of complete trades, per model, with the MFE = MAE diagonal.</summary>
    public static byte[] TradeExcursions(IReadOnlyList<ReplayReport> reports, int width = 700, int height = 560)
    {
        var plot = new Plot();
        var max = 1.0;
        for (var m = 0; m < reports.Count; m++)
        {
            var trades = reports[m].TradeList.Where(t => t.Status == TradeStatus.Complete).ToList();
            if (trades.Count == 0) continue;
            var xs = trades.Select(t => t.MaeAtr).ToArray();
            var ys = trades.Select(t => t.MfeAtr).ToArray();
            max = Math.Max(max, Math.Max(xs.Max(), ys.Max()));
            var points = plot.Add.ScatterPoints(xs, ys);
            points.Color = Palette.GetColor(m).WithAlpha(0.6);
            points.MarkerSize = 5;
            points.LegendText = $"{reports[m].Model.Name} ({trades.Count} trades)";
        }
        var diagonal = plot.Add.Line(0, 0, max, max);
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.Color = Colors.Gray;
        diagonal.LegendText = "MFE = MAE";
        var bars = reports[0].Options.EntryQualityBars;
        plot.Title($"Entry quality over the first {bars} bars (complete trades)");
        plot.XLabel("MAE (ATR, net of spread and costs)");
        plot.YLabel("MFE (ATR, net of spread and costs)");
        plot.ShowLegend(Alignment.UpperLeft);
        return PlotImage.Png(plot, width, height);
    }

    private static List<double> CandidatePLong(ReplayReport report)
    {
        var trace = report.Trace ?? throw new ArgumentException($"replay of {report.Model.Name} has no per-bar trace to plot");
        return trace.PLong.Where(double.IsFinite).ToList();
    }
}
