namespace Kairos.Evaluation;

/// <summary>
/// Metrics of one set of binary predictions. Definitions (and their scikit-learn equivalents) are in
/// docs/metrics.md. A metric that is undefined on the data (ROC-AUC or PR-AUC with a single class) is null.
/// </summary>
public sealed record BinaryMetrics
{
    public required long Count { get; init; }
    public required long Positives { get; init; }
    public required double Threshold { get; init; }

    /// <summary>Average precision (scikit-learn <c>average_precision_score</c>).</summary>
    public required double? PrAuc { get; init; }
    public required double? RocAuc { get; init; }
    public required double Brier { get; init; }
    public required double LogLoss { get; init; }
    public required double Ece { get; init; }
    public required int CalibrationBins { get; init; }
    public required double Accuracy { get; init; }
    public required double Precision { get; init; }
    public required double Recall { get; init; }
    public required double F1 { get; init; }
    public required double F1Macro { get; init; }

    /// <summary>F1 of class 0, then class 1.</summary>
    public required IReadOnlyList<double> F1PerClass { get; init; }
    public required ConfusionCounts Confusion { get; init; }
    public required IReadOnlyList<ReliabilityBin> ReliabilityCurve { get; init; }

    public ConfidenceInterval? PrAucInterval { get; init; }
    public ConfidenceInterval? BrierInterval { get; init; }
    public ConfidenceInterval? EceInterval { get; init; }
}
