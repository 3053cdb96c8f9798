using System.Numerics;

namespace Kairos.Evaluation.Statistics;

/// <summary>
/// The probability of backtest overfitting by combinatorially symmetric cross-validation (CSCV; Bailey,
/// Borwein, López de Prado, Zhu, "The Probability of Backtest Overfitting", 2014). The input is the T x N
/// matrix of block performance (T time blocks, N trials; larger is better). For each of the C(T, T/2) ways
/// to pick T/2 blocks as the in-sample half (the rest out of sample), the performance of a half is the mean
/// of its block values; the trial best in sample (lowest index on ties) gets its relative out-of-sample rank
/// ω = rank / (N + 1) (mid-ranks on ties, 1 = worst) and logit λ = ln(ω / (1 - ω)). PBO is the fraction of
/// splits with λ &lt;= 0. Deterministic: splits are enumerated as bit masks in increasing order.
/// </summary>
public static class BacktestOverfitting
{
    /// <summary>The largest block count accepted (C(24, 12) = 2,704,156 splits).</summary>
    public const int MaxBlocks = 24;

    /// <param name="performance">performance[t][n]: block t, trial n.</param>
    public static CscvResult Compute(IReadOnlyList<IReadOnlyList<double>> performance)
    {
        var t = performance.Count;
        if (t < 2 || t % 2 != 0 || t > MaxBlocks)
            throw new ArgumentException($"CSCV needs an even number of blocks between 2 and {MaxBlocks}, got {t}.", nameof(performance));
        var n = performance[0].Count;
        if (n < 2) throw new ArgumentException($"CSCV needs at least 2 trials, got {n}.", nameof(performance));
        var m = new double[t][];
        for (var b = 0; b < t; b++)
        {
            if (performance[b].Count != n) throw new ArgumentException($"block {b} has {performance[b].Count} trials, block 0 has {n}.", nameof(performance));
            m[b] = new double[n];
            for (var k = 0; k < n; k++)
            {
                var v = performance[b][k];
                if (!double.IsFinite(v)) throw new ArgumentException($"block {b}, trial {k}: performance {v} is not finite.", nameof(performance));
                m[b][k] = v;
            }
        }

        var half = t / 2;
        var totals = new double[n];
        for (var b = 0; b < t; b++)
            for (var k = 0; k < n; k++) totals[k] += m[b][k];

        var logits = new List<double>();
        var inSample = new double[n];
        double overfit = 0, losses = 0, sumLogit = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (var mask = 0u; mask < 1u << t; mask++)
        {
            if (BitOperations.PopCount(mask) != half) continue;
            Array.Clear(inSample);
            for (var b = 0; b < t; b++)
            {
                if ((mask & (1u << b)) == 0) continue;
                var row = m[b];
                for (var k = 0; k < n; k++) inSample[k] += row[k];
            }
            var best = 0;
            for (var k = 1; k < n; k++)
                if (inSample[k] > inSample[best]) best = k;
            var selectedOos = totals[best] - inSample[best];
            int below = 0, ties = 0;
            for (var k = 0; k < n; k++)
            {
                var oos = totals[k] - inSample[k];
                if (oos < selectedOos) below++;
                else if (oos == selectedOos && k != best) ties++;
            }
            var rank = 1 + below + 0.5 * ties;
            var omega = rank / (n + 1.0);
            var logit = Math.Log(omega / (1 - omega));
            logits.Add(logit);
            sumLogit += logit;
            if (logit <= 0) overfit++;
            var x = inSample[best] / half;
            var y = selectedOos / half;
            if (y < 0) losses++;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }

        var splits = logits.Count;
        var meanX = sx / splits;
        var meanY = sy / splits;
        var varX = sxx / splits - meanX * meanX;
        var covXy = sxy / splits - meanX * meanY;
        double? slope = varX > 1e-15 * Math.Max(1, meanX * meanX) ? covXy / varX : null;
        return new CscvResult
        {
            Blocks = t,
            Trials = n,
            Splits = splits,
            Pbo = overfit / splits,
            MeanLogit = sumLogit / splits,
            DegradationSlope = slope,
            DegradationIntercept = slope is { } s ? meanY - s * meanX : null,
            ProbabilityOfLoss = losses / splits,
            MeanInSample = meanX,
            MeanOutOfSample = meanY,
            Logits = logits,
        };
    }
}
