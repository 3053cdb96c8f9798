namespace Kairos.Evaluation.Statistics;

/// <summary>The deflated Sharpe ratio of one return series and what went into it (Sharpe ratios per observation).</summary>
public sealed record DeflatedSharpeResult
{
    /// <summary>Mean / standard deviation of the returns, per observation.</summary>
    public required double Sharpe { get; init; }

    /// <summary>T, the length of the return series.</summary>
    public required long Observations { get; init; }

    public required double Skewness { get; init; }

    /// <summary>Kurtosis (not in excess: 3 for a normal distribution).</summary>
    public required double Kurtosis { get; init; }

    /// <summary>N, the trials the best was selected from.</summary>
    public required int Trials { get; init; }

    /// <summary>V, the variance of the N trials' Sharpe ratios.</summary>
    public required double SharpeVariance { get; init; }

    /// <summary>SR0, the expected maximum Sharpe ratio of N unskilled trials.</summary>
    public required double ExpectedMaxSharpe { get; init; }

    /// <summary>The deflated Sharpe ratio, P(true SR &gt; SR0).</summary>
    public required double Dsr { get; init; }

    /// <summary>The probabilistic Sharpe ratio against 0, P(true SR &gt; 0), without deflation for selection.</summary>
    public required double Psr { get; init; }
}
