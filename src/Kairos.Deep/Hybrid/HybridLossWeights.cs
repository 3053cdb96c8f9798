namespace Kairos.Deep.Hybrid;

/// <summary>Weights of the loss terms. Defaults: 1 for every head, 0.1 for gate stability, Huber delta 1.</summary>
public sealed record HybridLossWeights
{
    /// <summary>Weight of the direction BCE loss.</summary>
    public double Direction { get; init; } = 1.0;
    /// <summary>Weight of the early-move BCE loss.</summary>
    public double EarlyMove { get; init; } = 1.0;
    /// <summary>Weight of the quality Huber loss.</summary>
    public double Quality { get; init; } = 1.0;
    /// <summary>Weight of the gate-stability loss (gated fusion only).</summary>
    public double GateStability { get; init; } = 0.1;
    /// <summary>Delta of the quality Huber loss (quadratic below, linear above).</summary>
    public double HuberDelta { get; init; } = 1.0;

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var (name, value) in new[] { ("direction_weight", Direction), ("early_move_weight", EarlyMove), ("quality_weight", Quality), ("gate_stability_weight", GateStability) })
            if (!(value >= 0) || double.IsInfinity(value)) problems.Add($"{name} must be a finite number >= 0 (got {value})");
        if (Direction + EarlyMove + Quality <= 0) problems.Add("at least one head loss weight must be positive");
        if (!(HuberDelta > 0) || double.IsInfinity(HuberDelta)) problems.Add($"huber_delta must be positive (got {HuberDelta})");
        return problems;
    }
}
