using Kairos.Settings;

namespace Kairos.Deep.Hybrid;

/// <summary>Weights of the loss terms. Defaults: 1 for every head, 0.1 for gate stability, Huber delta 1.</summary>
public sealed record HybridLossWeights
{
    /// <summary>The loss settings of <c>kairos train hybrid|tft</c>, defined once (flags are the keys with dashes).</summary>
    public static class Settings
    {
        public static readonly DoubleSetting Direction = new("direction_weight", 1.0, 0, double.PositiveInfinity, "Weight of the direction loss.", MaxExclusive: true);
        public static readonly DoubleSetting EarlyMove = new("early_move_weight", 1.0, 0, double.PositiveInfinity, "Weight of the early-move loss.", MaxExclusive: true);
        public static readonly DoubleSetting Quality = new("quality_weight", 1.0, 0, double.PositiveInfinity, "Weight of the quality Huber loss.", MaxExclusive: true);
        public static readonly DoubleSetting GateStability = new("gate_stability_weight", 0.1, 0, double.PositiveInfinity, "Weight of the gate-stability loss (gated fusion).", MaxExclusive: true);
        public static readonly DoubleSetting HuberDelta = new("huber_delta", 1.0, 0, double.PositiveInfinity, "Delta of the quality Huber loss.", MinExclusive: true, MaxExclusive: true);
    }

    /// <summary>Weight of the direction BCE loss (<see cref="Settings.Direction"/>).</summary>
    public double Direction { get; init; } = Settings.Direction.Default;
    /// <summary>Weight of the early-move BCE loss (<see cref="Settings.EarlyMove"/>).</summary>
    public double EarlyMove { get; init; } = Settings.EarlyMove.Default;
    /// <summary>Weight of the quality Huber loss (<see cref="Settings.Quality"/>).</summary>
    public double Quality { get; init; } = Settings.Quality.Default;
    /// <summary>Weight of the gate-stability loss, gated fusion only (<see cref="Settings.GateStability"/>).</summary>
    public double GateStability { get; init; } = Settings.GateStability.Default;
    /// <summary>Delta of the quality Huber loss, quadratic below, linear above (<see cref="Settings.HuberDelta"/>).</summary>
    public double HuberDelta { get; init; } = Settings.HuberDelta.Default;

    public IReadOnlyList<string> Problems()
    {
        var problems = new[]
        {
            Settings.Direction.Problem(Direction), Settings.EarlyMove.Problem(EarlyMove), Settings.Quality.Problem(Quality),
            Settings.GateStability.Problem(GateStability), Settings.HuberDelta.Problem(HuberDelta),
        }.OfType<string>().ToList();
        if (Direction + EarlyMove + Quality <= 0) problems.Add("at least one head loss weight must be positive");
        return problems;
    }
}
