using System.Globalization;
using Kairos.Errors;
using Kairos.Evaluation.Statistics;

namespace Kairos.Evaluation;

/// <summary>
/// Calibration drift (docs/metrics.md, "Calibration drift"): every row goes to one time window and, per bucket
/// column, one bucket; each window x bucket cell gets its calibration-in-the-large gap with a Wilson interval,
/// ECE and Brier; each bucket gets a weighted trend test of the gap over the windows and a drift flag.
/// Nothing is dropped: empty and too-small cells are reported as such.
/// </summary>
public static class DriftAnalyzer
{
    /// <summary>Floor of a cell's null variance, for cells whose predictions are all exactly 0 or 1.</summary>
    private const double MinVariance = 1e-12;

    public static DriftReport Analyze(Predictions predictions, EvaluationOptions options)
    {
        options.Validate();
        var drift = options.Drift ?? new DriftOptions();
        var (timestamps, columns) = CheckInput(predictions, drift);
        var labels = predictions.RequireLabels();
        ClassificationMetrics.Check(labels, predictions.Probabilities);

        var (windows, windowOf) = DriftWindows.Assign(predictions.Source, timestamps, drift);
        var z = NormalMath.Quantile(1 - (1 - options.ConfidenceLevel) / 2);
        var analyses = new List<DriftAnalysis>();
        foreach (var (column, values) in columns)
            analyses.Add(new DriftAnalysis(column, Buckets(values, windowOf, windows.Length, labels, predictions.Probabilities, drift, options, z, windows)));
        return new DriftReport
        {
            Window = drift.Window,
            WindowBars = drift.Window == DriftWindowKind.Bars ? drift.WindowBars : null,
            MinCellSize = drift.MinCellSize,
            ConfidenceLevel = options.ConfidenceLevel,
            CalibrationBins = options.CalibrationBins,
            Rows = predictions.Count,
            Windows = windows,
            Analyses = analyses,
            Flagged = [.. analyses.SelectMany(a => a.Buckets.Where(b => b.Status == DriftStatus.Drift).Select(b => $"{a.Column}={b.Value}"))],
        };
    }

    /// <summary>The checks that need no computation: the timestamp column and every bucket column asked for exist.</summary>
    internal static (long[] Timestamps, List<(string Column, string[] Values)> Columns) CheckInput(Predictions predictions, DriftOptions drift)
    {
        var timestamps = predictions.Timestamps ?? throw new DataException(predictions.Source, 1, PredictionsCsv.TimestampColumn, "column-missing",
            $"the drift analysis needs the column '{PredictionsCsv.TimestampColumn}' (Unix seconds UTC or ISO-8601) to place rows in time windows; the predictions have none.");
        return (timestamps, ResolveColumns(predictions, drift));
    }

    private static List<(string Column, string[] Values)> ResolveColumns(Predictions predictions, DriftOptions drift)
    {
        if (drift.BucketColumns.Count == 0)
            return predictions.Sessions is { } sessions
                ? [(PredictionsCsv.SessionColumn, sessions)]
                : [(DriftAnalysis.AllRows, Enumerable.Repeat(DriftAnalysis.AllRows, predictions.Count).ToArray())];
        var result = new List<(string, string[])>();
        foreach (var column in drift.BucketColumns)
        {
            var values = predictions.BucketColumn(column) ?? throw new DataException(predictions.Source, 1, column, "column-missing",
                $"drift bucket column '{column}' is not in the predictions (bucket columns present: {string.Join(", ", PresentBuckets(predictions).DefaultIfEmpty("none"))}).");
            result.Add((column, values));
        }
        return result;
    }

    private static IEnumerable<string> PresentBuckets(Predictions p)
    {
        if (p.Sessions is not null) yield return PredictionsCsv.SessionColumn;
        if (p.VolRegimes is not null) yield return PredictionsCsv.VolRegimeColumn;
        foreach (var name in p.Buckets.Keys) yield return name;
    }

    private static List<DriftBucket> Buckets(string[] values, int[] windowOf, int windowCount, int[] labels, double[] probabilities,
        DriftOptions drift, EvaluationOptions options, double z, DriftWindow[] windows)
    {
        var names = values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var bucketIndex = names.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);
        // Counting sort of the rows by cell (bucket, window), keeping row order inside a cell.
        var cellOf = new int[values.Length];
        var starts = new int[names.Length * windowCount + 1];
        for (var i = 0; i < values.Length; i++)
        {
            cellOf[i] = bucketIndex[values[i]] * windowCount + windowOf[i];
            starts[cellOf[i] + 1]++;
        }
        for (var c = 0; c < starts.Length - 1; c++) starts[c + 1] += starts[c];
        var rows = new int[values.Length];
        var next = (int[])starts.Clone();
        for (var i = 0; i < values.Length; i++) rows[next[cellOf[i]]++] = i;

        var result = new List<DriftBucket>(names.Length);
        for (var b = 0; b < names.Length; b++)
        {
            var cells = new DriftCell[windowCount];
            for (var w = 0; w < windowCount; w++)
            {
                var c = b * windowCount + w;
                cells[w] = Cell(w, rows.AsSpan(starts[c], starts[c + 1] - starts[c]), labels, probabilities, drift.MinCellSize, options.CalibrationBins, z);
            }
            result.Add(Bucket(names[b], cells, options.ConfidenceLevel, windows));
        }
        return result;
    }

    internal static DriftCell Cell(int window, ReadOnlySpan<int> rows, int[] labels, double[] probabilities, int minCellSize, int bins, double z)
    {
        var n = rows.Length;
        var tooSmall = n < minCellSize;
        if (n == 0)
            return new DriftCell { Window = window, Count = 0, Positives = 0, TooSmall = tooSmall };
        var y = new int[n];
        var p = new double[n];
        long positives = 0;
        double sumP = 0, sumVar = 0;
        for (var k = 0; k < n; k++)
        {
            y[k] = labels[rows[k]];
            p[k] = probabilities[rows[k]];
            positives += y[k];
            sumP += p[k];
            sumVar += p[k] * (1 - p[k]);
        }
        var mean = sumP / n;
        var rate = (double)positives / n;
        var (lower, upper) = Wilson(positives, n, z);
        return new DriftCell
        {
            Window = window,
            Count = n,
            Positives = positives,
            TooSmall = tooSmall,
            MeanPredicted = mean,
            ObservedRate = rate,
            Gap = rate - mean,
            GapLower = lower - mean,
            GapUpper = upper - mean,
            GapSignificant = tooSmall ? null : lower - mean > 0 || upper - mean < 0,
            NullStandardError = Math.Sqrt(sumVar) / n,
            Ece = ClassificationMetrics.ExpectedCalibrationError(y, p, bins),
            Brier = ClassificationMetrics.Brier(y, p),
        };
    }

    /// <summary>Wilson score interval of a binomial proportion with <paramref name="positives"/> of <paramref name="n"/> at normal quantile <paramref name="z"/>.</summary>
    internal static (double Lower, double Upper) Wilson(long positives, long n, double z)
    {
        var rate = (double)positives / n;
        var z2 = z * z;
        var denominator = 1 + z2 / n;
        var centre = (rate + z2 / (2.0 * n)) / denominator;
        var half = z * Math.Sqrt(rate * (1 - rate) / n + z2 / (4.0 * n * n)) / denominator;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    private static DriftBucket Bucket(string value, DriftCell[] cells, double level, DriftWindow[] windows)
    {
        var tested = cells.Where(c => !c.TooSmall).ToArray();
        var trend = Trend(tested, level);
        var last = tested.Length == 0 ? null : tested[^1];
        var reasons = new List<string>();
        if (last is { GapSignificant: true })
            reasons.Add(FormattableString.Invariant(
                $"last tested window {windows[last.Window].Label}: gap {last.Gap:+0.0000;-0.0000} with interval [{last.GapLower:+0.0000;-0.0000}, {last.GapUpper:+0.0000;-0.0000}] excludes 0"));
        if (trend.Significant == true)
            reasons.Add(FormattableString.Invariant(
                $"trend over {trend.Windows} windows: slope {trend.Slope:+0.0000;-0.0000} per window (SE {trend.StandardError:0.0000}), p = {trend.PValue:0.####}"));
        return new DriftBucket
        {
            Value = value,
            Count = cells.Sum(c => c.Count),
            Cells = cells,
            LastTestedWindow = last?.Window,
            Trend = trend,
            Status = tested.Length == 0 ? DriftStatus.InsufficientData : reasons.Count > 0 ? DriftStatus.Drift : DriftStatus.NoDrift,
            Reasons = reasons,
        };
    }

    /// <summary>
    /// WLS of gap on window index with weights 1 / v, v the cell's null variance sum p (1 - p) / n^2. The slope's
    /// variance 1 / Sxx is multiplied by the dispersion max(1, weighted RSS / (k - 2)).
    /// </summary>
    internal static DriftTrend Trend(IReadOnlyList<DriftCell> cells, double level)
    {
        var k = cells.Count;
        if (k < 3)
            return new DriftTrend { Windows = k, NotTested = FormattableString.Invariant($"{k} window(s) with enough rows; the trend test needs at least 3") };
        double sw = 0, swx = 0, swg = 0;
        var weights = new double[k];
        for (var i = 0; i < k; i++)
        {
            var se = cells[i].NullStandardError!.Value;
            weights[i] = 1 / Math.Max(se * se, MinVariance);
            sw += weights[i];
            swx += weights[i] * cells[i].Window;
            swg += weights[i] * cells[i].Gap!.Value;
        }
        double xBar = swx / sw, gBar = swg / sw, sxx = 0, sxg = 0;
        for (var i = 0; i < k; i++)
        {
            var dx = cells[i].Window - xBar;
            sxx += weights[i] * dx * dx;
            sxg += weights[i] * dx * (cells[i].Gap!.Value - gBar);
        }
        var slope = sxg / sxx;
        var rss = 0.0;
        for (var i = 0; i < k; i++)
        {
            var r = cells[i].Gap!.Value - gBar - slope * (cells[i].Window - xBar);
            rss += weights[i] * r * r;
        }
        var dispersion = Math.Max(1, rss / (k - 2));
        var standardError = Math.Sqrt(dispersion / sxx);
        var zScore = slope / standardError;
        var pValue = Math.Min(1, 2 * NormalMath.UpperTail(Math.Abs(zScore)));
        return new DriftTrend
        {
            Windows = k,
            Slope = slope,
            StandardError = standardError,
            Dispersion = dispersion,
            Z = zScore,
            PValue = pValue,
            Significant = pValue < 1 - level,
        };
    }

    /// <summary>A compact description of a cell for tables: the gap and interval, or why it is not tested.</summary>
    public static string Describe(DriftCell cell)
    {
        if (cell.Count == 0) return "empty";
        var gap = string.Create(CultureInfo.InvariantCulture, $"{cell.Gap:+0.000;-0.000} [{cell.GapLower:+0.000;-0.000}, {cell.GapUpper:+0.000;-0.000}]");
        return cell.TooSmall ? $"too small (n={cell.Count})" : cell.GapSignificant == true ? gap + " *" : gap;
    }
}
