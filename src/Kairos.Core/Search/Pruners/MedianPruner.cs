namespace Kairos.Search.Pruners;

/// <summary>
/// Optuna's MedianPruner: at a pruning step, stop the trial when its best intermediate value so far
/// is worse than the median of the complete trials' intermediate values at the same step.
/// Waits for <see cref="PrunerOptions.NStartupTrials"/> complete trials and
/// <see cref="PrunerOptions.NWarmupSteps"/> steps; checks every <see cref="PrunerOptions.IntervalSteps"/>
/// steps; needs at least <see cref="PrunerOptions.NMinTrials"/> trials reporting that step.
/// </summary>
public sealed class MedianPruner(PrunerOptions options) : IPruner
{
    public bool ShouldPrune(PruningContext context)
    {
        var complete = context.History.Where(t => t.State == TrialState.Complete).ToList();
        if (complete.Count == 0 || complete.Count < options.NStartupTrials) return false;
        if (context.IntermediateValues.Count == 0) return false;
        var steps = context.IntermediateValues.Keys.Order().ToList();
        var step = steps[^1];
        if (step < options.NWarmupSteps) return false;
        var nearestLower = (step - options.NWarmupSteps) / options.IntervalSteps * options.IntervalSteps + options.NWarmupSteps;
        var secondLast = steps.Count > 1 ? steps[^2] : -1;
        if (secondLast >= nearestLower) return false;

        var minimize = context.Direction == StudyDirection.Minimize;
        var own = context.IntermediateValues.Values.Where(v => !double.IsNaN(v)).ToList();
        if (own.Count == 0) return true;
        var best = minimize ? own.Min() : own.Max();

        var others = complete
            .Where(t => t.IntermediateValues.TryGetValue(step, out var v) && !double.IsNaN(v))
            .Select(t => t.IntermediateValues[step])
            .ToList();
        if (others.Count < options.NMinTrials || others.Count == 0) return false;
        var median = Percentile(others, 50);
        return minimize ? best > median : best < median;
    }

    /// <summary>numpy's percentile with linear interpolation.</summary>
    internal static double Percentile(IReadOnlyList<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        var pos = q / 100.0 * (sorted.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
}
