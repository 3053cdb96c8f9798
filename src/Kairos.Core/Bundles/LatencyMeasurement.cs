namespace Kairos.Bundles;

/// <summary>
/// What a latency benchmark writes into a model card: the design notes' block for the full inference path
/// (null when only the trees were measured) and the per-stage detail.
/// </summary>
public sealed record LatencyMeasurement(ModelCardLatency? FullPathMs, LatencyReport Detail);
