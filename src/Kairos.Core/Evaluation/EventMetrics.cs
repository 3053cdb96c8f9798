namespace Kairos.Evaluation;

/// <summary>
/// Event metrics of a time-ordered signal against labelled events (docs/metrics.md). Offsets are in bars,
/// <c>predicted - true</c>: negative means the prediction came before the true event (a lead).
/// Rates are null when their denominator is zero.
/// </summary>
public sealed record EventMetrics
{
    public required int Window { get; init; }
    public required double Threshold { get; init; }
    public required TrueEventRule TrueEvents { get; init; }
    public required long PredictedEventCount { get; init; }
    public required long TrueEventCount { get; init; }

    /// <summary>Predicted events with at least one true event within +-k bars.</summary>
    public required long PredictedHits { get; init; }

    /// <summary>True events with at least one predicted event within +-k bars.</summary>
    public required long TrueHits { get; init; }

    /// <summary>Hit rate within +-k: <see cref="PredictedHits"/> / predicted events.</summary>
    public required double? HitRate { get; init; }

    /// <summary>Share of true events with a predicted event within +-k: <see cref="TrueHits"/> / true events.</summary>
    public required double? TrueEventCoverage { get; init; }

    /// <summary>Pairs in the one-to-one matching (maximum pairs within +-k, then least total |offset|).</summary>
    public required long MatchedPairs { get; init; }
    public required double? PointerPrecision { get; init; }
    public required double? PointerRecall { get; init; }
    public required double? PointerF1 { get; init; }

    /// <summary>Number of matched pairs at each offset -k..k (index 0 is offset -k).</summary>
    public required IReadOnlyList<long> OffsetCounts { get; init; }
    public required double? MeanOffset { get; init; }
    public required double? MedianOffset { get; init; }
}
