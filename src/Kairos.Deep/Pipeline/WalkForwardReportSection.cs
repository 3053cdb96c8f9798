using System.Globalization;
using Kairos.Evaluation;
using Kairos.Reports;

namespace Kairos.Pipeline;

/// <summary>
/// The run report's walk-forward section: the schedule and the out-of-time estimate, a table of every window's test
/// metrics with their intervals and the pooled row, the metrics per window as a time series and the pooled reliability
/// diagram.
/// </summary>
internal static class WalkForwardReportSection
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Add(HtmlReport page, WalkForwardResult result)
    {
        var s = result.Summary;
        var e = s.Estimate;
        page.Heading("Walk-forward (out of time)");
        page.Paragraph($"The whole pipeline (dataset, trees, hybrid) retrained on each of {e.Windows} windows (train {e.Train}, test {e.Test}, step {e.Step}, " +
                       $"at least {e.GapBars} bars between a window's training and test rows) and scored on the test window that follows it; " +
                       $"the test predictions of all windows pooled cover {e.TestFrom} to {e.TestTo}. Work items: study {s.Study} in {s.Storage}. Directory: {result.Directory}");
        var rows = s.Windows.Select(w => Row(w.Window, $"{w.TestStart:yyyy-MM-dd} .. {w.TestEnd:yyyy-MM-dd}", w.TrainRows, w.TestRows, w.Metrics)).ToList();
        rows.Add(Row("pooled", $"{e.TestFrom[..10]} .. {e.TestTo[..10]}", null, s.Pooled.Count, s.Pooled));
        page.Table(["window", "test period", "train rows", "test rows", "ROC-AUC", "PR-AUC (interval)", "Brier (interval)", "ECE", "log loss"], rows,
            "Intervals: percentile bootstrap of the evaluation settings.");
        if (s.PooledBySymbol is { } bySymbol)
        {
            var symbolRows = new List<IReadOnlyList<HtmlCell>>();
            foreach (var w in s.Windows)
                foreach (var g in w.BySymbol ?? [])
                    symbolRows.Add(Row($"{w.Window} {g.Value}", $"{w.TestStart:yyyy-MM-dd} .. {w.TestEnd:yyyy-MM-dd}", null, g.Metrics.Count, g.Metrics));
            symbolRows.AddRange(bySymbol.Select(g => Row($"pooled {g.Value}", $"{e.TestFrom[..10]} .. {e.TestTo[..10]}", null, g.Metrics.Count, g.Metrics)));
            page.Table(["window, symbol", "test period", "train rows", "test rows", "ROC-AUC", "PR-AUC (interval)", "Brier (interval)", "ECE", "log loss"], symbolRows,
                "Per symbol: each window's test rows of each symbol, and each symbol's rows of all windows pooled (one model scores every symbol).");
        }
        page.Table(["metric", "mean over windows", "std", "min", "max", "windows"], e.Spread.Select(kv => (IReadOnlyList<HtmlCell>)
        [
            kv.Key, new(kv.Value.Mean.ToString("F4", C), "num"), new(kv.Value.Std.ToString("F4", C), "num"), new(kv.Value.Min.ToString("F4", C), "num"),
            new(kv.Value.Max.ToString("F4", C), "num"), new(kv.Value.Windows.ToString(C), "num"),
        ]), "Spread across windows: the out-of-time estimate on the Model Card.");
        if (File.Exists(result.Plot)) page.ImageFile(result.Plot, "metrics per walk-forward window", "Test metrics per window (dashed: pooled).");
        var reliability = Path.Combine(result.EvaluationDirectory, EvaluationArtifact.ReliabilityFile);
        if (File.Exists(reliability)) page.ImageFile(reliability, "pooled reliability diagram", "Reliability of the pooled out-of-sample predictions.");
    }

    private static IReadOnlyList<HtmlCell> Row(string name, string period, long? trainRows, long testRows, BinaryMetrics? m) =>
    [
        name, period, new(trainRows?.ToString("N0", C) ?? "", "num"), new(testRows.ToString("N0", C), "num"),
        new(F(m?.RocAuc), "num"), new(F(m?.PrAuc) + Interval(m?.PrAucInterval), "num"), new(F(m?.Brier) + Interval(m?.BrierInterval), "num"),
        new(F(m?.Ece), "num"), new(F(m?.LogLoss), "num"),
    ];

    private static string Interval(ConfidenceInterval? i) => i is null ? "" : $" [{i.Lower.ToString("F4", C)}, {i.Upper.ToString("F4", C)}]";

    private static string F(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("F4", C) : "n/a";
}
