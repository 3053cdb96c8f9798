using Kairos.Artifacts;
using ScottPlot;
using SkiaSharp;

namespace Kairos.Evaluation;

/// <summary>
/// Reliability diagram PNG (ScottPlot): mean predicted probability against observed frequency per bin with the
/// diagonal of perfect calibration on top, and the number of samples per bin as a histogram below.
/// </summary>
public static class ReliabilityPlot
{
    public static void Save(BinaryMetrics metrics, string title, string path, int width = 800, int height = 800)
    {
        if (width < 200 || height < 200)
            throw new ArgumentOutOfRangeException(nameof(width), $"a reliability diagram needs at least 200 x 200 pixels, got {width} x {height}.");
        var bins = metrics.ReliabilityCurve;
        var binWidth = 1.0 / metrics.CalibrationBins;

        var curve = new Plot();
        var diagonal = curve.Add.Line(0, 0, 1, 1);
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.Color = Colors.Gray;
        diagonal.LegendText = "perfectly calibrated";
        var points = curve.Add.Scatter(bins.Select(b => b.MeanPredicted).ToArray(), bins.Select(b => b.FractionPositive).ToArray());
        points.LegendText = "model";
        points.MarkerSize = 8;
        points.LineWidth = 2;
        curve.Title(FormattableString.Invariant(
            $"{title}   n = {metrics.Count}, ECE = {metrics.Ece:F4}, Brier = {metrics.Brier:F4}"));
        curve.YLabel("observed frequency of class 1");
        curve.Axes.SetLimits(0, 1, 0, 1);
        curve.ShowLegend(Alignment.UpperLeft);

        var histogram = new Plot();
        var bars = histogram.Add.Bars(
            bins.Select(b => (b.Lower + b.Upper) / 2).ToArray(),
            bins.Select(b => (double)b.Count).ToArray());
        foreach (var bar in bars.Bars) bar.Size = binWidth * 0.9;
        histogram.XLabel("predicted probability (bin)");
        histogram.YLabel("samples");
        histogram.Axes.SetLimitsX(0, 1);
        histogram.Axes.SetLimitsY(0, Math.Max(1, bins.Count == 0 ? 1 : bins.Max(b => b.Count)) * 1.1);

        var split = (int)(height * 0.7);
        Render(path, width, height, (curve, new PixelRect(0, width, split, 0)), (histogram, new PixelRect(0, width, height, split)));
    }

    /// <summary>Draws each plot in its rectangle of one canvas and writes the PNG atomically.</summary>
    internal static void Render(string path, int width, int height, params (Plot Plot, PixelRect Rect)[] panels)
    {
        using var surface = SKSurface.Create(new SKImageInfo(width, height)) ?? throw new InvalidOperationException("SkiaSharp could not create a drawing surface.");
        surface.Canvas.Clear(SKColors.White);
        foreach (var (plot, rect) in panels)
        {
            // A plot clears the canvas it renders on, so each panel is drawn on its own surface, then composed.
            using var panel = SKSurface.Create(new SKImageInfo((int)rect.Width, (int)rect.Height))
                ?? throw new InvalidOperationException("SkiaSharp could not create a drawing surface.");
            plot.Render(panel.Canvas, new PixelRect(0, rect.Width, rect.Height, 0));
            using var picture = panel.Snapshot();
            surface.Canvas.DrawImage(picture, rect.Left, rect.Top);
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, stream => data.SaveTo(stream));
    }
}
