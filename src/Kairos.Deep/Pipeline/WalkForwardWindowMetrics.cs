using Kairos.Evaluation;

namespace Kairos.Pipeline;

/// <summary>One walk-forward window's test period, training sizes and the metrics of its test predictions (null without test rows).</summary>
public sealed record WalkForwardWindowMetrics(string Window, DateTime TrainStart, DateTime TestStart, DateTime TestEnd, long TrainRows, long ValidationRows, long TestRows, BinaryMetrics? Metrics);
