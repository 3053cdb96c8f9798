using Kairos.Errors;
using Kairos.Evaluation;

namespace Kairos.Tests.Evaluation;

public class DriftAnalyzerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly DateTimeOffset January2025 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// <paramref name="perCell"/> rows per session and month over <paramref name="months"/> months from January 2025,
    /// timestamps spread over each month; y ~ Bernoulli(trueRate(session, month, p)).
    /// </summary>
    private static Predictions Synthetic(int seed, string[] sessions, int months, int perCell,
        Func<Random, double> probability, Func<string, int, double, double> trueRate)
    {
        var rng = new Random(seed);
        var p = new List<double>();
        var y = new List<int>();
        var s = new List<string>();
        var t = new List<long>();
        for (var m = 0; m < months; m++)
        {
            var start = January2025.AddMonths(m).ToUnixTimeSeconds();
            var seconds = January2025.AddMonths(m + 1).ToUnixTimeSeconds() - start;
            for (var k = 0; k < perCell; k++)
                foreach (var session in sessions)
                {
                    var prob = probability(rng);
                    p.Add(prob);
                    y.Add(rng.NextDouble() < trueRate(session, m, prob) ? 1 : 0);
                    s.Add(session);
                    t.Add(start + (long)((k + (double)Array.IndexOf(sessions, session) / sessions.Length) * seconds / perCell));
                }
        }
        return new Predictions("memory", [.. p], [.. y], [.. s], timestamps: [.. t]);
    }

    private static EvaluationOptions Options(DriftOptions? drift = null) => new() { BootstrapResamples = 0, Drift = drift ?? new DriftOptions() };

    [Fact]
    public void Analyze_PerfectlyCalibratedDraws_NoFlagsAndGapsWithinIntervals()
    {
        var predictions = Synthetic(20250101, ["EU", "OVERLAP", "US"], 6, 1500, r => 0.15 + 0.7 * r.NextDouble(), (_, _, p) => p);

        var report = DriftAnalyzer.Analyze(predictions, Options());

        Assert.Empty(report.Flagged);
        var analysis = Assert.Single(report.Analyses);
        Assert.Equal("session", analysis.Column);
        Assert.Equal(["EU", "OVERLAP", "US"], analysis.Buckets.Select(b => b.Value));
        Assert.All(analysis.Buckets, b =>
        {
            Assert.Equal(DriftStatus.NoDrift, b.Status);
            Assert.Empty(b.Reasons);
            Assert.False(b.Trend.Significant);
            Assert.Equal(5, b.LastTestedWindow);
        });
        var cells = analysis.Buckets.SelectMany(b => b.Cells).ToList();
        Assert.Equal(18, cells.Count);
        // Every interval holds its own gap; the true gap 0 lies within the 95 % interval of all but at most one of 18 cells
        // (the share over many seeds is tested below).
        Assert.All(cells, c => Assert.InRange(c.Gap!.Value, c.GapLower!.Value, c.GapUpper!.Value));
        Assert.True(cells.Count(c => c.GapSignificant == true) <= 1, string.Join(", ", cells.Select(c => $"{c.Gap:0.0000} [{c.GapLower:0.0000}, {c.GapUpper:0.0000}]")));
        Assert.All(cells, c => Assert.True(Math.Abs(c.Gap!.Value) < 4 * c.NullStandardError!.Value));
    }

    [Fact]
    public void Analyze_CalibratedDrawsOverManySeeds_IntervalsCoverZeroAndFalseFlagsNearNominal()
    {
        int cells = 0, covered = 0, buckets = 0, flagged = 0, trendFlags = 0;
        for (var seed = 1; seed <= 300; seed++)
        {
            var report = DriftAnalyzer.Analyze(Synthetic(seed, ["EU"], 6, 400, r => 0.1 + 0.8 * r.NextDouble(), (_, _, p) => p), Options());
            foreach (var bucket in report.Analyses[0].Buckets)
            {
                buckets++;
                if (bucket.Status == DriftStatus.Drift) flagged++;
                if (bucket.Trend.Significant == true) trendFlags++;
                foreach (var c in bucket.Cells)
                {
                    cells++;
                    if (c.GapSignificant == false) covered++;
                }
            }
        }

        output.WriteLine($"coverage of 0: {(double)covered / cells:0.0000} over {cells} cells; trend flags {(double)trendFlags / buckets:0.000}, drift flags {(double)flagged / buckets:0.000} over {buckets} buckets");
        // Nominal: 95 % coverage (Wilson is slightly conservative when p varies within a cell); the trend test at 5 %;
        // the flag (last window or trend) at most about 10 %.
        Assert.InRange((double)covered / cells, 0.935, 0.99);
        Assert.InRange((double)trendFlags / buckets, 0.0, 0.09);
        Assert.InRange((double)flagged / buckets, 0.0, 0.15);
    }

    [Fact]
    public void Analyze_TrueRateRisesInOneSessionOverSixMonths_FlagsThatSessionOnly()
    {
        // Probabilities fixed at 0.4; in US the true rate climbs from 0.40 to 0.55 by month 6 (0.03 per month).
        var predictions = Synthetic(7, ["EU", "OVERLAP", "US"], 6, 1500, _ => 0.4, (s, m, p) => s == "US" ? p + 0.15 * m / 5 : p);

        var report = DriftAnalyzer.Analyze(predictions, Options());

        Assert.Equal(["session=US"], report.Flagged);
        var us = report.Analyses[0].Buckets.Single(b => b.Value == "US");
        Assert.Equal(DriftStatus.Drift, us.Status);
        Assert.True(us.Trend.Significant);
        Assert.InRange(us.Trend.Slope!.Value, 0.03 - 3 * us.Trend.StandardError!.Value, 0.03 + 3 * us.Trend.StandardError.Value);
        Assert.True(us.Cells[5].GapSignificant);
        Assert.InRange(0.15, us.Cells[5].GapLower!.Value - 0.02, us.Cells[5].GapUpper!.Value + 0.02);
        Assert.Equal(2, us.Reasons.Count);
        Assert.All(report.Analyses[0].Buckets.Where(b => b.Value != "US"), b => Assert.Equal(DriftStatus.NoDrift, b.Status));
    }

    [Fact]
    public void Windows_LastSecondOfMonthAndFirstSecondOfNext_FallInDifferentMonthsUtc()
    {
        var lastSecond = new DateTimeOffset(2025, 1, 31, 23, 59, 59, TimeSpan.Zero).ToUnixTimeSeconds();
        var firstSecond = new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var april = new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var predictions = new Predictions("memory", [0.2, 0.7, 0.5], [0, 1, 1], timestamps: [lastSecond, firstSecond, april]);

        var report = DriftAnalyzer.Analyze(predictions, Options(new DriftOptions { MinCellSize = 1 }));

        Assert.Equal(["2025-01", "2025-02", "2025-03", "2025-04"], report.Windows.Select(w => w.Label));
        Assert.Equal([1L, 1, 0, 1], report.Windows.Select(w => w.Count));
        Assert.Equal(new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero), report.Windows[0].End);
        Assert.Equal(report.Windows[1].Start, report.Windows[0].End);
        var all = Assert.Single(report.Analyses);
        Assert.Equal(DriftAnalysis.AllRows, all.Column);
        var cells = all.Buckets.Single().Cells;
        Assert.Equal(0.2, cells[0].MeanPredicted);
        Assert.Equal(0.7, cells[1].MeanPredicted);
        Assert.Equal(0, cells[2].Count);
        Assert.Null(cells[2].Gap);
    }

    [Fact]
    public void Windows_WeekAndQuarterBoundariesUtc_SplitAtMondayMidnightAndQuarterStart()
    {
        // 2025-03-30 is a Sunday; 2025-03-31 a Monday; 2025-04-01 starts Q2.
        long T(int month, int day, int h, int m, int s) => new DateTimeOffset(2025, month, day, h, m, s, TimeSpan.Zero).ToUnixTimeSeconds();
        var times = new[] { T(3, 30, 23, 59, 59), T(3, 31, 0, 0, 0), T(3, 31, 23, 59, 59), T(4, 1, 0, 0, 0) };
        var predictions = new Predictions("memory", [0.1, 0.2, 0.3, 0.4], [0, 0, 1, 1], timestamps: times);

        var weeks = DriftAnalyzer.Analyze(predictions, Options(new DriftOptions { Window = DriftWindowKind.Week, MinCellSize = 1 }));
        var quarters = DriftAnalyzer.Analyze(predictions, Options(new DriftOptions { Window = DriftWindowKind.Quarter, MinCellSize = 1 }));

        Assert.Equal(["2025-W13", "2025-W14"], weeks.Windows.Select(w => w.Label));
        Assert.Equal([1L, 3], weeks.Windows.Select(w => w.Count));
        Assert.Equal(new DateTimeOffset(2025, 3, 31, 0, 0, 0, TimeSpan.Zero), weeks.Windows[1].Start);
        Assert.Equal(["2025-Q1", "2025-Q2"], quarters.Windows.Select(w => w.Label));
        Assert.Equal([3L, 1], quarters.Windows.Select(w => w.Count));
    }

    [Fact]
    public void Windows_BarCount_BlocksInTimestampOrderWithoutSplittingTies()
    {
        // Rows out of order; timestamps 500 appear twice (two symbols), across the boundary of the first block of 4.
        long[] t = [600, 100, 200, 300, 500, 500, 700, 800, 900, 1000];
        var predictions = new Predictions("memory", [.. t.Select(_ => 0.5)], [.. t.Select((_, i) => i % 2)], timestamps: t);

        var report = DriftAnalyzer.Analyze(predictions, Options(DriftOptions.WithWindow(new DriftOptions { MinCellSize = 1 }, "4")));

        Assert.Equal(DriftWindowKind.Bars, report.Window);
        Assert.Equal(4, report.WindowBars);
        Assert.Equal([5L, 4, 1], report.Windows.Select(w => w.Count));
        Assert.Equal(["bars 1-5", "bars 6-9", "bars 10-10"], report.Windows.Select(w => w.Label));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(100), report.Windows[0].Start);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(600), report.Windows[0].End);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1001), report.Windows[2].End);
    }

    [Fact]
    public void Analyze_CellsBelowMinimum_ReportedTooSmallAndLeftOutOfTests()
    {
        var full = Synthetic(3, ["EU", "US"], 6, 200, r => 0.2 + 0.6 * r.NextDouble(), (_, _, p) => p);
        // Keep only 30 US rows of March (window 2).
        var march = January2025.AddMonths(2).ToUnixTimeSeconds();
        var april = January2025.AddMonths(3).ToUnixTimeSeconds();
        var usMarch = 0;
        var keep = Enumerable.Range(0, full.Count).Where(i =>
            !(full.Sessions![i] == "US" && full.Timestamps![i] >= march && full.Timestamps[i] < april) || usMarch++ < 30).ToArray();
        var predictions = new Predictions("memory", [.. keep.Select(i => full.Probabilities[i])], [.. keep.Select(i => full.Labels![i])],
            [.. keep.Select(i => full.Sessions![i])], timestamps: [.. keep.Select(i => full.Timestamps![i])]);

        var report = DriftAnalyzer.Analyze(predictions, Options());

        var us = report.Analyses[0].Buckets.Single(b => b.Value == "US");
        Assert.Equal(6, us.Cells.Count);
        var small = us.Cells[2];
        Assert.True(small.TooSmall);
        Assert.Equal(30, small.Count);
        Assert.Null(small.GapSignificant);
        Assert.NotNull(small.Gap);
        Assert.All(us.Cells.Where(c => c.Window != 2), c => Assert.False(c.TooSmall));
        Assert.Equal(5, us.Trend.Windows);
        Assert.Equal(6, report.Analyses[0].Buckets.Single(b => b.Value == "EU").Trend.Windows);
        Assert.Equal(predictions.Count, report.Analyses[0].Buckets.Sum(b => b.Cells.Sum(c => c.Count)));
        Assert.Equal(predictions.Count, report.Windows.Sum(w => w.Count));
        Assert.Equal(predictions.Count, report.Rows);
    }

    [Fact]
    public void Analyze_EveryCellTooSmall_InsufficientDataNotDrift()
    {
        var predictions = Synthetic(5, ["EU"], 3, 10, r => r.NextDouble(), (_, _, p) => p);

        var bucket = DriftAnalyzer.Analyze(predictions, Options()).Analyses[0].Buckets.Single();

        Assert.Equal(DriftStatus.InsufficientData, bucket.Status);
        Assert.Null(bucket.LastTestedWindow);
        Assert.Null(bucket.Trend.Slope);
        Assert.Contains("at least 3", bucket.Trend.NotTested);
        Assert.Equal(30, bucket.Count);
    }

    [Fact]
    public void Analyze_CellEceAndBrier_EqualExistingMetricsOnTheSameRows()
    {
        var predictions = Synthetic(11, ["EU", "US"], 3, 300, r => r.NextDouble(), (_, m, p) => Math.Min(1, p * (1 + 0.2 * m)));
        var options = Options() with { CalibrationBins = 15 };

        var report = DriftAnalyzer.Analyze(predictions, options);

        foreach (var bucket in report.Analyses[0].Buckets)
            foreach (var cell in bucket.Cells)
            {
                var window = report.Windows[cell.Window];
                var rows = Enumerable.Range(0, predictions.Count).Where(i => predictions.Sessions![i] == bucket.Value &&
                    predictions.Timestamps![i] >= window.Start.ToUnixTimeSeconds() && predictions.Timestamps[i] < window.End.ToUnixTimeSeconds()).ToArray();
                var y = rows.Select(i => predictions.Labels![i]).ToArray();
                var p = rows.Select(i => predictions.Probabilities[i]).ToArray();
                var metrics = BinaryEvaluator.Evaluate(y, p, options);
                Assert.Equal(rows.Length, cell.Count);
                Assert.Equal(metrics.Ece, cell.Ece);
                Assert.Equal(ClassificationMetrics.ExpectedCalibrationError(y, p, 15), cell.Ece);
                Assert.Equal(metrics.Brier, cell.Brier);
                Assert.Equal(metrics.Positives, cell.Positives);
                Assert.Equal(p.Average(), cell.MeanPredicted!.Value, 12);
            }
    }

    [Fact]
    public void Trend_GapsExactlyLinear_SlopeExactAndDispersionOne()
    {
        DriftCell Cell(int w, double gap, double se) => new()
        {
            Window = w, Count = 100, Positives = 50, TooSmall = false, Gap = gap, NullStandardError = se,
        };
        var cells = new[] { Cell(0, 0.01, 0.02), Cell(2, 0.05, 0.01), Cell(3, 0.07, 0.03), Cell(5, 0.11, 0.02) };

        var trend = DriftAnalyzer.Trend(cells, 0.95);

        Assert.Equal(0.02, trend.Slope!.Value, 12);
        Assert.Equal(1, trend.Dispersion);
        // Known-variance WLS: Var(slope) = 1 / sum w (x - xbar_w)^2.
        var w = new[] { 1 / 0.0004, 1 / 0.0001, 1 / 0.0009, 1 / 0.0004 };
        double[] x = [0, 2, 3, 5];
        var xBar = w.Zip(x, (a, b) => a * b).Sum() / w.Sum();
        var sxx = w.Zip(x, (a, b) => a * (b - xBar) * (b - xBar)).Sum();
        Assert.Equal(Math.Sqrt(1 / sxx), trend.StandardError!.Value, 12);
        Assert.True(trend.Significant);
    }

    [Fact]
    public void Wilson_SmallCounts_MatchTextbookIntervals()
    {
        // 95 % Wilson score intervals as statsmodels' proportion_confint(method="wilson") gives them.
        var z = 1.959963984540054;
        Assert.Equal((0.236593, 0.763407), Round(DriftAnalyzer.Wilson(5, 10, z)));
        Assert.Equal((0.017876, 0.404150), Round(DriftAnalyzer.Wilson(1, 10, z)));
        Assert.Equal((0.0, 0.277533), Round(DriftAnalyzer.Wilson(0, 10, z)));

        static (double, double) Round((double Lower, double Upper) ci) => (Math.Round(ci.Lower, 6), Math.Round(ci.Upper, 6));
    }

    [Fact]
    public void Analyze_NoTimestamps_ThrowsNamingTheMissingColumn()
    {
        var predictions = new Predictions("preds.csv", [0.2, 0.8], [0, 1], ["EU", "US"]);

        var e = Assert.Throws<DataException>(() => DriftAnalyzer.Analyze(predictions, Options()));

        Assert.Equal("timestamp", e.Column);
        Assert.Equal("column-missing", e.Rule);
        Assert.Contains("preds.csv", e.Message);
    }

    [Fact]
    public void Evaluate_DriftWithoutTimestamps_FailsBeforeTheBootstrap()
    {
        var predictions = new Predictions("preds.csv", [0.2, 0.8], [0, 1]);

        var e = Assert.Throws<DataException>(() => PredictionsEvaluator.Evaluate(predictions, Options() with { BootstrapResamples = 1_000_000 }));

        Assert.Equal("timestamp", e.Column);
    }

    [Fact]
    public void Analyze_BucketColumnNotInPredictions_ThrowsNamingItAndWhatIsPresent()
    {
        var predictions = new Predictions("preds.csv", [0.2, 0.8], [0, 1], ["EU", "US"], timestamps: [1, 2]);

        var e = Assert.Throws<DataException>(() => DriftAnalyzer.Analyze(predictions, Options(new DriftOptions { BucketColumns = ["atr_bucket"] })));

        Assert.Equal("atr_bucket", e.Column);
        Assert.Contains("session", e.Detail);
    }

    [Fact]
    public void Analyze_SeveralBucketColumns_OneAnalysisEachInTheOrderGiven()
    {
        var buckets = new Dictionary<string, string[]> { ["atr_bucket"] = ["Q1", "Q2", "Q1"] };
        var predictions = new Predictions("memory", [0.2, 0.8, 0.4], [0, 1, 0], ["EU", "US", "US"], ["0", "0", "1"], [10, 20, 30], buckets: buckets);

        var report = DriftAnalyzer.Analyze(predictions, Options(new DriftOptions { BucketColumns = ["atr_bucket", "vol_regime", "session"], MinCellSize = 1 }));

        Assert.Equal(["atr_bucket", "vol_regime", "session"], report.Analyses.Select(a => a.Column));
        Assert.Equal([2L, 1], report.Analyses[0].Buckets.Select(b => b.Count));
        Assert.Equal(["0", "1"], report.Analyses[1].Buckets.Select(b => b.Value));
    }

    [Fact]
    public void Options_Invalid_EveryProblemReportedTogether()
    {
        var options = Options(new DriftOptions { MinCellSize = 0, Window = DriftWindowKind.Bars, WindowBars = 0, BucketColumns = ["session", "session"] });

        var e = Assert.Throws<ConfigException>(() => options.Validate());

        Assert.Equal(3, e.Problems.Count);
        Assert.Throws<ConfigException>(() => DriftOptions.WithWindow(new DriftOptions(), "fortnight"));
    }
}
