using Kairos.Evaluation.Statistics;
namespace Kairos.Search.Samplers;

/// <summary>
/// A univariate Parzen estimator (mixture of truncated Gaussians, or of categorical kernels) over one
/// parameter, as in Bergstra et al. 2011 and Optuna 3.x: one kernel per observation plus a prior
/// kernel (mid-range); bandwidth = distance to the farther neighbour among the observations and the
/// prior's centre (the range ends count as neighbours, but the outermost points use their inner
/// neighbour), clipped to [range / min(100, 2 + n), range]; the prior's bandwidth is the range. Floats and log-integers are continuous (log space
/// when log-scaled); plain integers are discretised: a kernel's mass on k is its mass on [k-0.5, k+0.5].
/// </summary>
internal sealed class ParzenEstimator
{
    private readonly ParamDistribution _distribution;
    private readonly double[] _weights;
    private readonly double[] _logWeights;
    private readonly double[] _mus = [];
    private readonly double[] _sigmas = [];
    private readonly double[] _logZ = [];
    private readonly double[][] _categorical = [];
    private readonly double _lo, _hi;
    private readonly bool _discrete;

    public ParzenEstimator(IReadOnlyList<double> observations, ParamDistribution distribution, TpeOptions options)
    {
        _distribution = distribution;
        var n = observations.Count;
        var w = MixtureWeights(n, options);
        _weights = w;
        _logWeights = w.Select(x => Math.Log(x)).ToArray();

        if (distribution is CategoricalDistribution c)
        {
            var k = c.Choices.Count;
            var kernels = n + 1;
            _categorical = new double[kernels][];
            for (var i = 0; i < kernels; i++)
            {
                var row = new double[k];
                Array.Fill(row, options.PriorWeight / kernels);
                if (i < n) row[(int)observations[i]] += 1.0;
                var sum = row.Sum();
                for (var j = 0; j < k; j++) row[j] /= sum;
                _categorical[i] = row;
            }
            return;
        }

        (_lo, _hi, _discrete) = distribution switch
        {
            FloatDistribution { Log: true } f => (Math.Log(f.Low), Math.Log(f.High), false),
            FloatDistribution f => (f.Low, f.High, false),
            IntDistribution { Log: true } i => (Math.Log(i.Low - 0.5), Math.Log(i.High + 0.5), false),
            IntDistribution i => (i.Low - 0.5, i.High + 0.5, true),
            _ => throw new ArgumentException("unknown distribution", nameof(distribution)),
        };
        // As Optuna 3.1: the prior's centre takes part in the neighbour distances, then gets bandwidth = range.
        _mus = [.. observations.Select(Transform), 0.5 * (_lo + _hi)];
        _sigmas = Bandwidths(_mus, _lo, _hi);
        _sigmas[^1] = _hi - _lo;
        _logZ = new double[_mus.Length];
        for (var i = 0; i < _mus.Length; i++)
            _logZ[i] = NormalMath.LogMassBetween((_lo - _mus[i]) / _sigmas[i], (_hi - _mus[i]) / _sigmas[i]);
    }

    /// <summary>Draws one internal value.</summary>
    public double Sample(SearchRandom rng)
    {
        var k = Pick(_weights, rng);
        if (_distribution is CategoricalDistribution)
            return Pick(_categorical[k], rng);
        var mu = _mus[k];
        var sigma = _sigmas[k];
        var pa = NormalMath.Cdf((_lo - mu) / sigma);
        var pb = NormalMath.Cdf((_hi - mu) / sigma);
        var z = NormalMath.Quantile(pa + rng.NextDouble() * (pb - pa));
        var x = Math.Clamp(mu + sigma * z, _lo, _hi);
        return Untransform(x);
    }

    /// <summary>Log density (continuous) or log probability (discrete, categorical) of an internal value.</summary>
    public double LogPdf(double value)
    {
        var terms = new double[_weights.Length];
        if (_distribution is CategoricalDistribution)
        {
            for (var k = 0; k < terms.Length; k++) terms[k] = _logWeights[k] + Math.Log(_categorical[k][(int)value]);
            return LogSumExp(terms);
        }
        var x = Transform(value);
        for (var k = 0; k < terms.Length; k++)
        {
            var mu = _mus[k];
            var sigma = _sigmas[k];
            double logKernel;
            if (_discrete)
            {
                logKernel = NormalMath.LogMassBetween((x - 0.5 - mu) / sigma, (x + 0.5 - mu) / sigma);
                if (double.IsNegativeInfinity(logKernel))
                    logKernel = NormalMath.LogPdf((x - mu) / sigma) - Math.Log(sigma);
            }
            else
            {
                logKernel = NormalMath.LogPdf((x - mu) / sigma) - Math.Log(sigma);
            }
            terms[k] = _logWeights[k] + logKernel - _logZ[k];
        }
        return LogSumExp(terms);
    }

    internal static double[] Bandwidths(double[] mus, double lo, double hi)
    {
        var n = mus.Length;
        if (n == 0) return [];
        var order = Enumerable.Range(0, n).OrderBy(i => mus[i]).ThenBy(i => i).ToArray();
        var sorted = new double[n + 2];
        sorted[0] = lo;
        for (var i = 0; i < n; i++) sorted[i + 1] = mus[order[i]];
        sorted[n + 1] = hi;
        var sortedSigmas = new double[n];
        for (var i = 0; i < n; i++)
            sortedSigmas[i] = Math.Max(sorted[i + 1] - sorted[i], sorted[i + 2] - sorted[i + 1]);
        if (sorted.Length >= 4)
        {
            sortedSigmas[0] = sorted[2] - sorted[1];
            sortedSigmas[n - 1] = sorted[n] - sorted[n - 1];
        }
        var range = hi - lo;
        var minSigma = range / Math.Min(100.0, 1.0 + n);
        var sigmas = new double[n];
        for (var i = 0; i < n; i++) sigmas[order[i]] = Math.Clamp(sortedSigmas[i], minSigma, range);
        return sigmas;
    }

    internal static double[] MixtureWeights(int n, TpeOptions options)
    {
        var w = new double[n + 1];
        var flat = options.FlatWeightCount;
        if (n < flat)
        {
            for (var i = 0; i < n; i++) w[i] = 1.0;
        }
        else
        {
            // Optuna's default_weights: linspace(1/n, 1, n - 25) for the oldest, then 25 ones.
            var ramp = n - flat;
            for (var i = 0; i < ramp; i++)
                w[i] = ramp == 1 ? 1.0 / n : 1.0 / n + (1.0 - 1.0 / n) * i / (ramp - 1);
            for (var i = ramp; i < n; i++) w[i] = 1.0;
        }
        w[n] = options.PriorWeight;
        var sum = w.Sum();
        for (var i = 0; i <= n; i++) w[i] /= sum;
        return w;
    }

    /// <summary>An index drawn with probability its weight (weights summing to 1): the first whose running sum passes one uniform draw; the last when rounding leaves the sum short.</summary>
    private static int Pick(double[] weights, SearchRandom rng)
    {
        var u = rng.NextDouble();
        var acc = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            acc += weights[i];
            if (u < acc) return i;
        }
        return weights.Length - 1;
    }

    private double Transform(double value) => _distribution switch
    {
        FloatDistribution { Log: true } or IntDistribution { Log: true } => Math.Log(value),
        _ => value,
    };

    private double Untransform(double x) => _distribution switch
    {
        FloatDistribution { Log: true } f => Math.Clamp(Math.Exp(x), f.Low, f.High),
        FloatDistribution f => Math.Clamp(x, f.Low, f.High),
        IntDistribution { Log: true } i => Math.Clamp(Math.Round(Math.Exp(x)), i.Low, i.High),
        IntDistribution i => Math.Clamp(Math.Round(x), i.Low, i.High),
        _ => x,
    };

    private static double LogSumExp(double[] terms)
    {
        var max = terms.Max();
        if (double.IsNegativeInfinity(max)) return max;
        var sum = 0.0;
        foreach (var t in terms) sum += Math.Exp(t - max);
        return max + Math.Log(sum);
    }
}
