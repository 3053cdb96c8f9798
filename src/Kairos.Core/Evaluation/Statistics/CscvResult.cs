using System.Text.Json.Serialization;

namespace Kairos.Evaluation.Statistics;

/// <summary>
/// Combinatorially symmetric cross-validation of one performance matrix (Bailey, Borwein, López de Prado,
/// Zhu 2014): over every split of the blocks into equal in-sample and out-of-sample halves, how the trial
/// that is best in sample ranks out of sample.
/// </summary>
public sealed record CscvResult
{
    public required int Blocks { get; init; }

    public required int Trials { get; init; }

    /// <summary>C(blocks, blocks / 2).</summary>
    public required int Splits { get; init; }

    /// <summary>Probability of backtest overfitting: the fraction of splits whose logit is &lt;= 0 (the in-sample best is at or below the out-of-sample median).</summary>
    public required double Pbo { get; init; }

    /// <summary>Mean of the logits λ = ln(ω / (1 - ω)), ω the selected trial's relative out-of-sample rank.</summary>
    public required double MeanLogit { get; init; }

    /// <summary>Slope of the selected trial's out-of-sample performance regressed on its in-sample performance (null when the in-sample values do not vary).</summary>
    public required double? DegradationSlope { get; init; }

    public required double? DegradationIntercept { get; init; }

    /// <summary>Fraction of splits in which the selected trial's out-of-sample performance is below zero.</summary>
    public required double ProbabilityOfLoss { get; init; }

    /// <summary>Mean over splits of the selected trial's in-sample performance.</summary>
    public required double MeanInSample { get; init; }

    /// <summary>Mean over splits of the selected trial's out-of-sample performance.</summary>
    public required double MeanOutOfSample { get; init; }

    /// <summary>Every split's logit, in split order (masks in increasing order); not serialised.</summary>
    [JsonIgnore]
    public IReadOnlyList<double> Logits { get; init; } = [];
}
