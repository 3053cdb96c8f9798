using ScottPlot;

namespace Kairos.Evaluation;

/// <summary>
/// A model's variable importance as one PNG: the mean selection weight of each sequence variable and of the most
/// important static variables (horizontal bars, largest on top), and the decision bar's mean attention by lag
/// (lag 0 = the decision bar). Drawn for TFT runs (<c>variable_importance.png</c>) from their <c>metrics.json</c> figures.
/// </summary>
public static class VariableImportancePlot
{
    /// <summary>Static variables drawn at most (the rest are listed in metrics.json).</summary>
    public const int MaxStaticBars = 30;

    public static void Save(IReadOnlyList<(string Name, double Weight)> sequence, IReadOnlyList<(string Name, double Weight)> statics,
        IReadOnlyList<double> attentionByLag, string title, string path, int width = 1400, int height = 1000)
    {
        if (sequence.Count == 0 || statics.Count == 0 || attentionByLag.Count == 0)
            throw new ArgumentException("variable importance needs sequence weights, static weights and attention by lag");
        var top = statics.OrderByDescending(s => s.Weight).Take(MaxStaticBars).ToList();
        var sequencePlot = Bars(sequence.OrderByDescending(s => s.Weight).ToList(), $"{title}: sequence variables (mean selection weight)");
        var staticPlot = Bars(top, statics.Count > top.Count
            ? $"static variables: top {top.Count} of {statics.Count}" : "static variables (mean selection weight)");

        var attention = new Plot();
        var lags = attentionByLag.Select((w, lag) => new Bar { Position = lag, Value = w, Size = 0.8, FillColor = Colors.SteelBlue }).ToList();
        attention.Add.Bars(lags);
        attention.Title("attention of the decision bar by lag (0 = decision bar, head average)");
        attention.XLabel("lag (bars before the decision bar)");
        attention.YLabel("mean attention");
        attention.Axes.SetLimitsY(0, Math.Max(1e-9, attentionByLag.Max()) * 1.1);

        var split = (int)(height * 0.68);
        var middle = (int)(width * 0.4);
        ReliabilityPlot.Render(path, width, height,
            (sequencePlot, new PixelRect(0, middle, split, 0)),
            (staticPlot, new PixelRect(middle, width, split, 0)),
            (attention, new PixelRect(0, width, height, split)));
    }

    private static Plot Bars(IReadOnlyList<(string Name, double Weight)> ranked, string title)
    {
        var plot = new Plot();
        var n = ranked.Count;
        var bars = ranked.Select((v, i) => new Bar { Position = n - 1 - i, Value = v.Weight, Size = 0.8, FillColor = Colors.SteelBlue }).ToList();
        var series = plot.Add.Bars(bars);
        series.Horizontal = true;
        var ticks = ranked.Select((v, i) => new Tick(n - 1 - i, v.Name)).ToArray();
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.SetLimitsX(0, Math.Max(1e-9, ranked.Max(r => r.Weight)) * 1.1);
        plot.Axes.SetLimitsY(-0.6, n - 0.4);
        plot.Title(title);
        plot.XLabel("weight");
        return plot;
    }
}
