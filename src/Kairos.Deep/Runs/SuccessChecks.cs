using System.Globalization;

namespace Kairos.Deep.Runs;

/// <summary>The design notes' post-training checks: completed; loss fell or settled; no NaN/Inf; eligibility rate in (0.1, 0.99).</summary>
public static class SuccessChecks
{
    /// <summary>Relative change between the last two epochs' training loss under which the loss counts as settled.</summary>
    public const double SettledTolerance = 0.01;

    public static IReadOnlyList<SuccessCheck> Evaluate(TrainingState state, double? eligibilityRate)
    {
        var c = CultureInfo.InvariantCulture;
        var epochs = state.Epochs;
        var checks = new List<SuccessCheck>
        {
            new("completed", epochs.Count > 0,
                epochs.Count == 0 ? "no epoch ran" : state.StoppedEarly ? $"{epochs.Count} epochs, stopped early (best epoch {state.BestEpoch})" : $"{epochs.Count} epochs"),
        };

        if (epochs.Count == 0)
        {
            checks.Add(new("loss_fell_or_settled", false, "no epoch ran"));
        }
        else
        {
            var last = epochs[^1].TrainLoss.Total;
            var fell = last < state.FirstStepLoss;
            var settled = epochs.Count >= 2 && Math.Abs(last - epochs[^2].TrainLoss.Total) <= SettledTolerance * Math.Abs(epochs[^2].TrainLoss.Total);
            var detail = string.Create(c, $"first step {state.FirstStepLoss:F5}, last epoch mean {last:F5}");
            checks.Add(new("loss_fell_or_settled", fell || settled, detail + (fell ? " (fell)" : settled ? " (settled within 1%)" : " (neither fell nor settled)")));
        }

        var values = epochs.SelectMany(e => new double?[]
        {
            e.TrainLoss.Total, e.TrainLoss.Direction, e.TrainLoss.EarlyMove, e.TrainLoss.Quality, e.TrainLoss.GateStability,
            e.ValidationLoss?.Total, e.ValidationLoss?.Direction, e.ValidationLoss?.EarlyMove, e.ValidationLoss?.Quality, e.TrainLoss.Reconstruction, e.ValidationLoss?.Reconstruction,
            e.GradNormMean, e.GradNormMax,
        }).Where(v => v is not null).Select(v => v!.Value).Append(state.FirstStepLoss).Append(state.LastStepLoss).ToList();
        var nonFinite = values.Count(v => !double.IsFinite(v));
        checks.Add(new("no_nan_inf", nonFinite == 0, nonFinite == 0 ? $"{values.Count} loss and gradient-norm values, all finite" : $"{nonFinite} non-finite values"));

        checks.Add(eligibilityRate is { } rate
            ? new("eligibility_rate_in_range", rate > 0.1 && rate < 0.99, string.Create(c, $"{rate:F4} (must be in (0.1, 0.99))"))
            : new("eligibility_rate_in_range", false, "the dataset reports no eligibility rate"));
        return checks;
    }
}
