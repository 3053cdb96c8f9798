namespace Kairos.Evaluation;

/// <summary>
/// Predictions sorted once by descending probability, with the ends of runs of equal probability (the
/// distinct thresholds) and each sample's calibration bin. Threshold metrics and every bootstrap resample
/// are computed on this order with per-sample weights (resample counts) instead of re-sorting.
/// </summary>
internal sealed class RankedPredictions
{
    private readonly double[] _p;
    private readonly byte[] _y;
    private readonly double[] _squaredError;
    private readonly int[] _groupEnds;
    private readonly int[] _positivesThrough;
    private readonly ushort[] _bin;
    private readonly int[] _order;

    public RankedPredictions(ReadOnlySpan<int> labels, ReadOnlySpan<double> probabilities, int bins)
    {
        var n = probabilities.Length;
        var keys = new double[n];
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            keys[i] = -probabilities[i];
            order[i] = i;
        }
        Array.Sort(keys, order);
        _p = new double[n];
        _y = new byte[n];
        _squaredError = new double[n];
        _bin = new ushort[n];
        var edges = ClassificationMetrics.BinEdges(bins);
        var ends = new List<int>();
        var through = new List<int>();
        for (var r = 0; r < n; r++)
        {
            var i = order[r];
            _p[r] = probabilities[i];
            _y[r] = (byte)labels[i];
            var d = labels[i] - probabilities[i];
            _squaredError[r] = d * d;
            _bin[r] = (ushort)ClassificationMetrics.BinOf(edges, probabilities[i]);
            if (r > 0 && _p[r] != _p[r - 1])
            {
                ends.Add(r - 1);
                through.Add(Positives);
            }
            Positives += labels[i];
        }
        if (n > 0)
        {
            ends.Add(n - 1);
            through.Add(Positives);
        }
        _groupEnds = [.. ends];
        _positivesThrough = [.. through];
        _order = order;
        Count = n;
        Bins = bins;
    }

    public int Count { get; }
    public int Positives { get; }
    public int Bins { get; }

    /// <summary>Average precision with unit weights (scikit-learn's definition); null without positives.</summary>
    public double? AveragePrecision()
    {
        if (Positives == 0) return null;
        long previousTps = 0;
        var ap = 0.0;
        for (var g = 0; g < _groupEnds.Length; g++)
        {
            var (tps, fps) = CountsThrough(g);
            if (tps != previousTps)
            {
                ap += ((double)tps / Positives - (double)previousTps / Positives) * ((double)tps / (tps + fps));
                previousTps = tps;
            }
        }
        return ap;
    }

    /// <summary>ROC-AUC by the trapezoidal rule over the distinct thresholds (ties give diagonal segments); null with one class.</summary>
    public double? RocAuc()
    {
        var negatives = Count - Positives;
        if (Positives == 0 || negatives == 0) return null;
        double prevTpr = 0, prevFpr = 0, area = 0;
        for (var g = 0; g < _groupEnds.Length; g++)
        {
            var (tps, fps) = CountsThrough(g);
            var tpr = (double)tps / Positives;
            var fpr = (double)fps / negatives;
            area += (fpr - prevFpr) * (tpr + prevTpr) / 2;
            prevTpr = tpr;
            prevFpr = fpr;
        }
        return area;
    }

    /// <summary>True and false positives at the threshold of tie group <paramref name="group"/> (every sample ranked up to its end).</summary>
    private (long Tps, long Fps) CountsThrough(int group)
    {
        long tps = _positivesThrough[group];
        return (tps, _groupEnds[group] + 1 - tps);
    }

    /// <summary>
    /// ROC-AUC with <paramref name="weights"/> (resample counts in ranked order): the trapezoidal rule over the distinct
    /// thresholds, as <see cref="RocAuc"/>; NaN when the resample holds one class only.
    /// </summary>
    public double WeightedRocAuc(ReadOnlySpan<int> weights)
    {
        long tps = 0, fps = 0, previousTps = 0, previousFps = 0;
        double area = 0;
        var start = 0;
        foreach (var end in _groupEnds)
        {
            for (var r = start; r <= end; r++)
            {
                var w = weights[r];
                tps += w * _y[r];
                fps += w * (1 - _y[r]);
            }
            start = end + 1;
            area += (double)(fps - previousFps) * (tps + previousTps);
            previousTps = tps;
            previousFps = fps;
        }
        return tps == 0 || fps == 0 ? double.NaN : area / (2.0 * tps * fps);
    }

    /// <summary>
    /// <see cref="Weighted(ReadOnlySpan{int})"/> with counts given per original row: they are gathered into the
    /// ranked order in <paramref name="scratch"/> first (used by the paired bootstrap, where two models rank the
    /// same resample differently).
    /// </summary>
    public (double AveragePrecision, double Brier, double Ece) WeightedByRow(ReadOnlySpan<int> rowCounts, Span<int> scratch)
    {
        for (var r = 0; r < Count; r++)
            scratch[r] = rowCounts[_order[r]];
        return Weighted(scratch);
    }

    /// <summary>
    /// Weighted average precision, Brier score and ECE in one pass; <paramref name="weights"/> are resample counts
    /// in ranked order. AP is NaN when the resample holds no positive. Calibration bins are contiguous runs of
    /// the ranked order (probabilities are sorted), so each bin is summed in registers and flushed at its end.
    /// </summary>
    public (double AveragePrecision, double Brier, double Ece) Weighted(ReadOnlySpan<int> weights)
    {
        if (weights.Length != Count)
            throw new ArgumentException($"weights ({weights.Length}) must have one entry per prediction ({Count}).");
        long tps = 0, total = 0, previousTps = 0;
        double apSum = 0, squared = 0, ece = 0;
        long binPositives = 0;
        double binProbability = 0;
        var start = 0;
        var y = _y;
        var p = _p;
        var se = _squaredError;
        foreach (var end in _groupEnds)
        {
            for (var r = start; r <= end; r++)
            {
                var w = weights[r];
                var positive = w * y[r];
                tps += positive;
                binPositives += positive;
                total += w;
                squared += w * se[r];
                binProbability += w * p[r];
            }
            start = end + 1;
            if (tps != previousTps)
            {
                apSum += (double)(tps - previousTps) * tps / total;
                previousTps = tps;
            }
            if (start == Count || _bin[start] != _bin[end])
            {
                ece += Math.Abs(binPositives - binProbability);
                binPositives = 0;
                binProbability = 0;
            }
        }
        return (tps == 0 ? double.NaN : apSum / tps, squared / total, ece / total);
    }
}
