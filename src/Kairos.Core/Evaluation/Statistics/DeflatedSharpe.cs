namespace Kairos.Evaluation.Statistics;

/// <summary>
/// The deflated Sharpe ratio (Bailey and López de Prado, "The Deflated Sharpe Ratio", 2014): the probability
/// that a strategy's true Sharpe ratio exceeds the one expected from the best of N unskilled trials, given
/// the length, skewness and kurtosis of its return series. Sharpe ratios are per observation (not annualised).
/// </summary>
public static class DeflatedSharpe
{
    /// <summary>The Euler-Mascheroni constant γ.</summary>
    public const double EulerGamma = 0.57721566490153286061;

    /// <summary>
    /// E[max SR] of <paramref name="trials"/> independent trials whose Sharpe ratios have variance
    /// <paramref name="sharpeVariance"/> and mean 0: sqrt(V) ((1 - γ) Φ⁻¹(1 - 1/N) + γ Φ⁻¹(1 - 1/(N e))).
    /// </summary>
    public static double ExpectedMaxSharpe(double sharpeVariance, int trials)
    {
        if (trials < 2) throw new ArgumentOutOfRangeException(nameof(trials), trials, "the expected maximum needs at least 2 trials");
        if (!(sharpeVariance >= 0)) throw new ArgumentOutOfRangeException(nameof(sharpeVariance), sharpeVariance, "a variance is >= 0");
        return Math.Sqrt(sharpeVariance) * ((1 - EulerGamma) * NormalMath.Quantile(1 - 1.0 / trials)
                                            + EulerGamma * NormalMath.Quantile(1 - 1.0 / (trials * Math.E)));
    }

    /// <summary>
    /// The probabilistic Sharpe ratio of <paramref name="sharpe"/> against the benchmark <paramref name="benchmark"/>:
    /// Φ((SR - SR0) sqrt(T - 1) / sqrt(1 - skew SR + (kurt - 1) / 4 SR²)), kurtosis not in excess (3 for a normal).
    /// </summary>
    public static double Probabilistic(double sharpe, double benchmark, long observations, double skewness, double kurtosis)
    {
        if (observations < 2) throw new ArgumentOutOfRangeException(nameof(observations), observations, "needs at least 2 observations");
        var denominator = 1 - skewness * sharpe + (kurtosis - 1) / 4 * sharpe * sharpe;
        if (!(denominator > 0)) throw new ArgumentOutOfRangeException(nameof(kurtosis), kurtosis, $"1 - skew SR + (kurt - 1)/4 SR² = {denominator} is not positive");
        return NormalMath.Cdf((sharpe - benchmark) * Math.Sqrt(observations - 1) / Math.Sqrt(denominator));
    }

    /// <summary>The deflated Sharpe ratio: <see cref="Probabilistic"/> against <see cref="ExpectedMaxSharpe"/>.</summary>
    public static DeflatedSharpeResult Compute(double sharpe, long observations, double skewness, double kurtosis, double sharpeVariance, int trials)
    {
        var benchmark = ExpectedMaxSharpe(sharpeVariance, trials);
        return new DeflatedSharpeResult
        {
            Sharpe = sharpe,
            Observations = observations,
            Skewness = skewness,
            Kurtosis = kurtosis,
            Trials = trials,
            SharpeVariance = sharpeVariance,
            ExpectedMaxSharpe = benchmark,
            Dsr = Probabilistic(sharpe, benchmark, observations, skewness, kurtosis),
            Psr = Probabilistic(sharpe, 0, observations, skewness, kurtosis),
        };
    }
}
