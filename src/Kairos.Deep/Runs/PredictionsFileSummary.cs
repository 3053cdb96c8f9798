namespace Kairos.Deep.Runs;

/// <summary>A <c>predictions_&lt;split&gt;.csv</c> the run wrote with its final weights, and the direction head's metrics on it.</summary>
public sealed record PredictionsFileSummary(string Split, string File, DirectionMetrics Direction);
