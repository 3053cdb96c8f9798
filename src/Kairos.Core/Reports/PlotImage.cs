using ScottPlot;
using SkiaSharp;

namespace Kairos.Reports;

/// <summary>Renders ScottPlot plots to PNG bytes: one plot, or several panels side by side on one canvas.</summary>
public static class PlotImage
{
    public static byte[] Png(Plot plot, int width, int height) => Panels(width, height, [plot], 1);

    /// <summary>Draws <paramref name="plots"/> in a grid of <paramref name="columns"/> columns, each panel the same size.</summary>
    public static byte[] Panels(int panelWidth, int panelHeight, IReadOnlyList<Plot> plots, int columns)
    {
        if (plots.Count == 0) throw new ArgumentException("nothing to draw", nameof(plots));
        if (panelWidth < 100 || panelHeight < 100)
            throw new ArgumentOutOfRangeException(nameof(panelWidth), $"a panel needs at least 100 x 100 pixels, got {panelWidth} x {panelHeight}");
        columns = Math.Clamp(columns, 1, plots.Count);
        var rows = (plots.Count + columns - 1) / columns;
        using var surface = SKSurface.Create(new SKImageInfo(panelWidth * columns, panelHeight * rows))
            ?? throw new InvalidOperationException("SkiaSharp could not create a drawing surface");
        surface.Canvas.Clear(SKColors.White);
        for (var i = 0; i < plots.Count; i++)
        {
            // A plot clears the canvas it renders on: each panel is drawn on its own surface, then composed.
            using var panel = SKSurface.Create(new SKImageInfo(panelWidth, panelHeight))
                ?? throw new InvalidOperationException("SkiaSharp could not create a drawing surface");
            plots[i].Render(panel.Canvas, new PixelRect(0, panelWidth, panelHeight, 0));
            using var picture = panel.Snapshot();
            surface.Canvas.DrawImage(picture, i % columns * panelWidth, i / columns * panelHeight);
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
