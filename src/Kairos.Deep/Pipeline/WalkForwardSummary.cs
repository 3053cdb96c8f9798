using Kairos.Bundles;
using Kairos.Evaluation;
using Kairos.Search;

namespace Kairos.Pipeline;

/// <summary>
/// <c>OUT/walkforward/&lt;id&gt;/result/walkforward.json</c>: a finished walk-forward: where its work items lived, every
/// window's test metrics, the metrics of the pooled out-of-sample predictions (<c>predictions.csv</c> beside it, with its
/// SHA-256), the spread across windows and the estimate the Model Card records.
/// </summary>
public sealed record WalkForwardSummary
{
    public const string FileName = "walkforward.json";
    public const string PredictionsFile = "predictions.csv";
    public const string PlotFile = "metrics_by_window.png";
    public const string EvaluationDirectory = "evaluation";

    public string Kind { get; init; } = "kairos.walkforward";
    public int SchemaVersion { get; init; } = 1;
    public int MinReaderVersion { get; init; } = 1;
    public required string Id { get; init; }
    public required string Storage { get; init; }
    public required string Study { get; init; }
    public required IReadOnlyList<WalkForwardWindowMetrics> Windows { get; init; }
    public required BinaryMetrics Pooled { get; init; }

    /// <summary>A pooled walk-forward (several symbols): the pooled out-of-sample metrics of each symbol (ordinal order); null with one symbol.</summary>
    public IReadOnlyList<GroupMetrics>? PooledBySymbol { get; init; }
    public required string PredictionsSha256 { get; init; }
    public required ModelCardOutOfTime Estimate { get; init; }
}
