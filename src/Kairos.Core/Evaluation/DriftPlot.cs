using ScottPlot;

namespace Kairos.Evaluation;

/// <summary>
/// Calibration gap over time PNG (ScottPlot): per bucket of one analysis, the gap (observed rate minus mean
/// predicted probability) of each window with its Wilson interval as error bars, and the zero line. Cells below
/// the minimum size are not drawn (they are in metrics.json, marked too small); the title says how many.
/// </summary>
public static class DriftPlot
{
    public static string FileName(DriftAnalysis analysis) => $"drift_{EvaluationArtifact.FileSafe(analysis.Column)}.png";

    public static void Save(DriftReport report, DriftAnalysis analysis, string path, int width = 1000, int height = 600)
    {
        if (width < 300 || height < 200)
            throw new ArgumentOutOfRangeException(nameof(width), $"a drift plot needs at least 300 x 200 pixels, got {width} x {height}.");
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var zero = plot.Add.HorizontalLine(0);
        zero.LinePattern = LinePattern.Dashed;
        zero.Color = Colors.Gray;
        var buckets = analysis.Buckets.Count;
        var spread = buckets > 1 ? Math.Min(0.3, 0.6 / buckets) : 0;
        var hidden = 0;
        for (var b = 0; b < buckets; b++)
        {
            var bucket = analysis.Buckets[b];
            var drawn = bucket.Cells.Where(c => !c.TooSmall).ToArray();
            hidden += bucket.Cells.Count(c => c.TooSmall && c.Count > 0);
            if (drawn.Length == 0) continue;
            var offset = buckets > 1 ? (b - (buckets - 1) / 2.0) * spread : 0;
            var xs = drawn.Select(c => c.Window + offset).ToArray();
            var ys = drawn.Select(c => c.Gap!.Value).ToArray();
            var color = palette.GetColor(b);
            var bars = new ScottPlot.Plottables.ErrorBar(xs, ys, null, null,
                drawn.Select(c => c.Gap!.Value - c.GapLower!.Value).ToArray(), drawn.Select(c => c.GapUpper!.Value - c.Gap!.Value).ToArray())
            {
                Color = color,
            };
            plot.Add.Plottable(bars);
            var line = plot.Add.Scatter(xs, ys);
            line.Color = color;
            line.MarkerSize = 7;
            line.LineWidth = 1.5f;
            line.LegendText = $"{bucket.Value}{(bucket.Status == DriftStatus.Drift ? " (drift)" : "")}";
        }
        var windows = report.Windows;
        var step = Math.Max(1, (int)Math.Ceiling(windows.Count / 12.0));
        var ticks = windows.Where(w => w.Index % step == 0).Select(w => new Tick(w.Index, w.Label)).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.SetLimitsX(-0.6, windows.Count - 0.4);
        var level = (report.ConfidenceLevel * 100).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        plot.Title($"calibration gap by {analysis.Column} ({level}% Wilson intervals){(hidden > 0 ? $"; {hidden} cell(s) with n < {report.MinCellSize} not drawn" : "")}", size: 13);
        plot.XLabel("window");
        plot.YLabel("observed rate - mean predicted");
        plot.ShowLegend(Alignment.UpperLeft);
        ReliabilityPlot.Render(path, width, height, (plot, new PixelRect(0, width, height, 0)));
    }
}
