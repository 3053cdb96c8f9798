namespace Kairos.Search.Pruners;

/// <summary>
/// Asynchronous successive halving (Li et al. 2018, Optuna's SuccessiveHalvingPruner): rung r is
/// reached at step MinResource * ReductionFactor^(MinEarlyStoppingRate + r); a trial reaching it
/// records its value there and continues only if it ranks in the top 1/ReductionFactor of all values
/// recorded at that rung so far (always at least the best one).
/// </summary>
public sealed class SuccessiveHalvingPruner(PrunerOptions options) : IPruner
{
    public bool ShouldPrune(PruningContext context)
    {
        if (context.IntermediateValues.Count == 0) return false;
        var step = context.IntermediateValues.Keys.Max();
        var value = context.IntermediateValues[step];
        var rung = context.CompletedRungs;
        while (true)
        {
            var promotionStep = options.MinResource * Math.Pow(options.ReductionFactor, options.MinEarlyStoppingRate + rung);
            if (step < promotionStep) return false;
            if (double.IsNaN(value)) return true;
            var competing = context.RecordRung(rung, value);
            if (!Promotable(value, competing, options.ReductionFactor, context.Direction)) return true;
            rung++;
        }
    }

    internal static bool Promotable(double value, IReadOnlyList<double> competing, int reductionFactor, StudyDirection direction)
    {
        var idx = competing.Count / reductionFactor - 1;
        if (idx < 0) idx = 0;
        var sorted = competing.Order().ToArray();
        return direction == StudyDirection.Minimize ? value <= sorted[idx] : value >= sorted[^(idx + 1)];
    }
}
