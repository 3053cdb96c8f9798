using Kairos.Datasets;
using Kairos.Replay;

namespace Kairos.Predict;

/// <summary>What <c>kairos predict</c> reports (its <c>--json</c> output): the model, the window and the row counts.</summary>
public sealed record PredictSummary
{
    public required string Output { get; init; }
    public required string Symbol { get; init; }
    public required string BundleId { get; init; }
    public required string ModelVersion { get; init; }
    public required string PLongSource { get; init; }

    /// <summary>Why that model gives <c>p_long</c>: <c>--p-long trees</c>, or auto and what the bundle records.</summary>
    public string? PLongReason { get; init; }
    public required int Rows { get; init; }
    public string? FirstBar { get; init; }
    public string? LastBar { get; init; }
    /// <summary>Bars passing the dataset's eligibility rules (out-of-distribution ones included).</summary>
    public required int Eligible { get; init; }
    public required int OutOfDistribution { get; init; }
    public required int Evaluable { get; init; }
    /// <summary>Bars per first failing rule (snake_case reason), eligible and out_of_distribution included.</summary>
    public required IReadOnlyDictionary<string, int> Reasons { get; init; }
    public required double Seconds { get; init; }

    public static PredictSummary Of(PredictionTable table, string output, double seconds) => new()
    {
        Output = output,
        Symbol = table.Symbol,
        BundleId = table.BundleId,
        ModelVersion = table.ModelVersion,
        PLongSource = table.Source == Replay.PLongSource.Hybrid ? "hybrid" : "trees",
        PLongReason = table.SourceReason,
        Rows = table.Count,
        FirstBar = table.Count > 0 ? ReplayTime.Format(table.Time[0]) : null,
        LastBar = table.Count > 0 ? ReplayTime.Format(table.Time[^1]) : null,
        Eligible = Enumerable.Range(0, table.Count).Count(table.Eligible),
        OutOfDistribution = table.Reason.Count(r => r == EligibilityReason.OutOfDistribution),
        Evaluable = Enumerable.Range(0, table.Count).Count(table.IsEvaluable),
        Reasons = table.Reason.GroupBy(PredictionFile.ReasonName).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
        Seconds = seconds,
    };
}
