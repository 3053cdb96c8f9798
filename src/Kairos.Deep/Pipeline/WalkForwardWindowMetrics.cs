using Kairos.Evaluation;

namespace Kairos.Pipeline;

/// <summary>
/// One walk-forward window's test period, training sizes and the metrics of its test predictions (null without test rows);
/// with several symbols (a pooled walk-forward) also per symbol (<see cref="BySymbol"/>, ordinal order; null otherwise).
/// </summary>
public sealed record WalkForwardWindowMetrics(string Window, DateTime TrainStart, DateTime TestStart, DateTime TestEnd, long TrainRows, long ValidationRows, long TestRows, BinaryMetrics? Metrics,
    IReadOnlyList<GroupMetrics>? BySymbol = null);
