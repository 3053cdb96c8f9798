using ScottPlot;

namespace Kairos.Evaluation;

/// <summary>
/// Metrics per walk-forward window as a time series PNG (ScottPlot): ROC-AUC and PR-AUC (with its bootstrap interval)
/// in the upper panel, Brier score and ECE (with their intervals) in the lower one, one point per window at its test
/// window's label, and the pooled value of each metric as a dashed line. Windows where a metric is undefined (one
/// class) are left out of that metric's line.
/// </summary>
public static class WalkForwardPlot
{
    public static void Save(IReadOnlyList<(string Label, BinaryMetrics Metrics)> windows, BinaryMetrics pooled, string path, int width = 1000, int height = 800)
    {
        if (width < 300 || height < 300)
            throw new ArgumentOutOfRangeException(nameof(width), $"a walk-forward plot needs at least 300 x 300 pixels, got {width} x {height}.");
        var palette = new ScottPlot.Palettes.Category10();
        var ranking = new Plot();
        Series(ranking, windows, m => m.RocAuc, null, "ROC-AUC", palette.GetColor(0), pooled.RocAuc);
        Series(ranking, windows, m => m.PrAuc, m => m.PrAucInterval, "PR-AUC", palette.GetColor(1), pooled.PrAuc);
        var half = ranking.Add.HorizontalLine(0.5);
        half.Color = Colors.Gray.WithAlpha(0.5);
        ranking.Title(FormattableString.Invariant($"walk-forward: {windows.Count} windows, {pooled.Count} pooled test rows (dashed: pooled)"), size: 13);
        ranking.YLabel("ranking");
        ranking.ShowLegend(Alignment.UpperLeft);

        var calibration = new Plot();
        Series(calibration, windows, m => m.Brier, m => m.BrierInterval, "Brier", palette.GetColor(2), pooled.Brier);
        Series(calibration, windows, m => m.Ece, m => m.EceInterval, "ECE", palette.GetColor(3), pooled.Ece);
        calibration.YLabel("probability error");
        calibration.XLabel("test window");
        calibration.ShowLegend(Alignment.UpperLeft);

        var step = Math.Max(1, (int)Math.Ceiling(windows.Count / 12.0));
        var ticks = windows.Select((w, i) => (w, i)).Where(x => x.i % step == 0).Select(x => new Tick(x.i, x.w.Label)).ToArray();
        foreach (var plot in new[] { ranking, calibration })
        {
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
            plot.Axes.SetLimitsX(-0.6, windows.Count - 0.4);
        }
        var split = height / 2;
        ReliabilityPlot.Render(path, width, height, (ranking, new PixelRect(0, width, split, 0)), (calibration, new PixelRect(0, width, height, split)));
    }

    private static void Series(Plot plot, IReadOnlyList<(string Label, BinaryMetrics Metrics)> windows, Func<BinaryMetrics, double?> value,
        Func<BinaryMetrics, ConfidenceInterval?>? interval, string name, Color color, double? pooled)
    {
        var points = windows.Select((w, i) => (X: (double)i, Metrics: w.Metrics, Y: value(w.Metrics))).Where(p => p.Y is { } y && double.IsFinite(y)).ToArray();
        if (points.Length == 0) return;
        var xs = points.Select(p => p.X).ToArray();
        var ys = points.Select(p => p.Y!.Value).ToArray();
        if (interval is not null && points.All(p => interval(p.Metrics) is not null))
        {
            var bars = new ScottPlot.Plottables.ErrorBar(xs, ys, null, null,
                points.Select(p => Math.Max(0, p.Y!.Value - interval(p.Metrics)!.Lower)).ToArray(),
                points.Select(p => Math.Max(0, interval(p.Metrics)!.Upper - p.Y!.Value)).ToArray()) { Color = color };
            plot.Add.Plottable(bars);
        }
        var line = plot.Add.Scatter(xs, ys);
        line.Color = color;
        line.MarkerSize = 7;
        line.LineWidth = 1.5f;
        line.LegendText = name;
        if (pooled is { } p && double.IsFinite(p))
        {
            var level = plot.Add.HorizontalLine(p);
            level.Color = color;
            level.LinePattern = LinePattern.Dashed;
        }
    }
}
