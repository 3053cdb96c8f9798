namespace Kairos.Evaluation;

/// <summary>Metrics of the rows sharing one value of a grouping column (a session, a volatility regime).</summary>
public sealed record GroupMetrics(string Value, BinaryMetrics Metrics);
