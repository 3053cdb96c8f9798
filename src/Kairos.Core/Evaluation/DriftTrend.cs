namespace Kairos.Evaluation;

/// <summary>
/// Weighted least-squares slope of the gap over the window index, over the cells of one bucket that are large
/// enough (weights 1 / null variance, standard error inflated by the residual dispersion when it exceeds 1;
/// docs/metrics.md). Null fields mean "not tested", with <see cref="NotTested"/> saying why.
/// </summary>
public sealed record DriftTrend
{
    /// <summary>Cells used (at least 3 are needed).</summary>
    public required int Windows { get; init; }

    /// <summary>Change of the gap per window.</summary>
    public double? Slope { get; init; }
    public double? StandardError { get; init; }

    /// <summary>Weighted residual sum of squares over its degrees of freedom, floored at 1; multiplies the slope's variance.</summary>
    public double? Dispersion { get; init; }
    public double? Z { get; init; }

    /// <summary>Two-sided normal p-value of <see cref="Z"/>.</summary>
    public double? PValue { get; init; }

    /// <summary><see cref="PValue"/> below 1 - confidence level.</summary>
    public bool? Significant { get; init; }

    /// <summary>Why the trend was not tested; null when it was.</summary>
    public string? NotTested { get; init; }
}
