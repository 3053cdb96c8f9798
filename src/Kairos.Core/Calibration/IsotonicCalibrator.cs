using Kairos.Evaluation.Statistics;

namespace Kairos.Calibration;

/// <summary>
/// Isotonic (non-decreasing) calibration with scikit-learn's semantics
/// (<c>IsotonicRegression(out_of_bounds="clip")</c>): samples are sorted by score (ties by label), scores
/// closer than 1e-15 are merged into one point whose target is their mean, pool-adjacent-violators fits
/// the non-decreasing step values, interior points equal to both neighbours are dropped, and a new score
/// is clipped to the fitted range and linearly interpolated between the kept points.
/// </summary>
public sealed class IsotonicCalibrator : ICalibrator
{
    /// <summary>Scores closer than this are one point (numpy's float64 resolution, as scikit-learn uses).</summary>
    private const double TieResolution = 1e-15;

    private readonly double[] _x;
    private readonly double[] _y;

    public IsotonicCalibrator(IReadOnlyList<double> thresholds, IReadOnlyList<double> values, int sampleCount, int positiveCount)
    {
        if (thresholds.Count == 0 || thresholds.Count != values.Count)
            throw new ArgumentException($"isotonic calibrator needs matching, non-empty thresholds ({thresholds.Count}) and values ({values.Count}).");
        _x = [.. thresholds];
        _y = [.. values];
        for (var i = 0; i < _x.Length; i++)
        {
            if (!double.IsFinite(_x[i]) || !double.IsFinite(_y[i]))
                throw new ArgumentException($"isotonic point {i} is not finite ({_x[i]}, {_y[i]}).");
            if (i > 0 && (_x[i] <= _x[i - 1] || _y[i] < _y[i - 1]))
                throw new ArgumentException($"isotonic point {i} breaks the order: thresholds must increase strictly and values must not decrease.");
        }
        SampleCount = sampleCount;
        PositiveCount = positiveCount;
    }

    /// <summary>Scores of the kept points, strictly increasing.</summary>
    public IReadOnlyList<double> Thresholds => _x;

    /// <summary>Calibrated values at <see cref="Thresholds"/>, non-decreasing.</summary>
    public IReadOnlyList<double> Values => _y;

    public CalibrationMethod Method => CalibrationMethod.Isotonic;
    public int SampleCount { get; }
    public int PositiveCount { get; }

    public double Apply(double score)
    {
        CalibrationInput.CheckScore(score);
        var n = _x.Length;
        if (n == 1)
            return _y[0];
        var t = Math.Clamp(score, _x[0], _x[n - 1]);
        // scipy interp1d(kind="linear"): hi = searchsorted(x, t, "left") clipped to [1, n-1], lo = hi - 1.
        var hi = SortedSearch.LowerBound<double>(_x, t);
        hi = Math.Clamp(hi, 1, n - 1);
        var lo = hi - 1;
        var slope = (_y[hi] - _y[lo]) / (_x[hi] - _x[lo]);
        return slope * (t - _x[lo]) + _y[lo];
    }

    /// <summary>Fits the non-decreasing map from scores to the frequency of label 1.</summary>
    public static IsotonicCalibrator Fit(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels)
    {
        var positives = CalibrationInput.Validate(scores, labels);
        var n = scores.Length;

        // numpy.lexsort((y, X)): by score, then by label.
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        var s = scores.ToArray();
        var l = labels.ToArray();
        Array.Sort(order, (i, j) =>
        {
            var c = s[i].CompareTo(s[j]);
            return c != 0 ? c : l[i].CompareTo(l[j]);
        });

        // _make_unique: merge scores closer than the resolution; target = weighted mean label.
        var ux = new List<double>();
        var uy = new List<double>();
        var uw = new List<double>();
        var currentX = s[order[0]];
        double currentY = 0, currentW = 0;
        foreach (var idx in order)
        {
            var x = s[idx];
            if (x - currentX >= TieResolution)
            {
                ux.Add(currentX);
                uw.Add(currentW);
                uy.Add(currentY / currentW);
                currentX = x;
                currentW = 1.0;
                currentY = l[idx];
            }
            else
            {
                currentW += 1.0;
                currentY += l[idx];
            }
        }
        ux.Add(currentX);
        uw.Add(currentW);
        uy.Add(currentY / currentW);

        var y = uy.ToArray();
        PoolAdjacentViolators(y, uw.ToArray());

        // Keep the ends and every point that differs from a neighbour.
        var keptX = new List<double>();
        var keptY = new List<double>();
        for (var i = 0; i < y.Length; i++)
        {
            if (i == 0 || i == y.Length - 1 || y[i] != y[i - 1] || y[i] != y[i + 1])
            {
                keptX.Add(ux[i]);
                keptY.Add(y[i]);
            }
        }
        return new IsotonicCalibrator(keptX, keptY, n, positives);
    }

    /// <summary>
    /// In-place weighted PAV, a port of scikit-learn's <c>_inplace_contiguous_isotonic_regression</c>
    /// (single pass with backtracking), so pooled means are summed in the same order.
    /// </summary>
    internal static void PoolAdjacentViolators(double[] y, double[] w)
    {
        var n = y.Length;
        var target = new int[n];
        for (var t = 0; t < n; t++) target[t] = t;
        var i = 0;
        while (i < n)
        {
            var k = target[i] + 1;
            if (k == n)
                break;
            if (y[i] < y[k])
            {
                i = k;
                continue;
            }
            var sumWy = w[i] * y[i];
            var sumW = w[i];
            while (true)
            {
                var prevY = y[k];
                sumWy += w[k] * y[k];
                sumW += w[k];
                k = target[k] + 1;
                if (k == n || prevY < y[k])
                {
                    y[i] = sumWy / sumW;
                    w[i] = sumW;
                    target[i] = k - 1;
                    target[k - 1] = i;
                    if (i > 0)
                        i = target[i - 1];
                    break;
                }
            }
        }
        i = 0;
        while (i < n)
        {
            var k = target[i] + 1;
            for (var j = i + 1; j < k; j++) y[j] = y[i];
            i = k;
        }
    }
}
