namespace Kairos.Search.Samplers;

/// <summary>
/// Tree-structured Parzen estimator (Bergstra et al. 2011) with Optuna 3.x's defaults: the first
/// <see cref="TpeOptions.NStartupTrials"/> trials are random; then finished trials are split at
/// quantile gamma into a good group (the best min(ceil(0.1 n), 25): complete trials by value first,
/// then pruned trials by the furthest step reached and the value there) and a bad group; a Parzen
/// estimator is fitted to each (l and g), <see cref="TpeOptions.NEiCandidates"/> candidates are
/// drawn from l and the one maximising l(x)/g(x) is taken. Parameters are modelled independently.
/// </summary>
public sealed class TpeSampler(TpeOptions options) : ISampler
{
    public TpeOptions Options { get; } = options;

    public double Sample(SamplingContext context, string name, ParamDistribution distribution)
    {
        var rng = SearchRandom.For(context.Seed, context.TrialNumber, name, "tpe");
        var finished = context.History
            .Where(t => t.State == TrialState.Complete && t.Value is { } v && double.IsFinite(v) || t.State == TrialState.Pruned)
            .ToList();
        if (finished.Count < Options.NStartupTrials || IsPoint(distribution))
            return RandomSampler.Draw(rng, distribution);

        var (below, above) = Split(finished, context.Direction, Gamma(finished.Count));
        var l = new ParzenEstimator(Observations(below, name, distribution), distribution, Options);
        var g = new ParzenEstimator(Observations(above, name, distribution), distribution, Options);

        var best = double.NaN;
        var bestScore = double.NegativeInfinity;
        for (var i = 0; i < Options.NEiCandidates; i++)
        {
            var x = l.Sample(rng);
            var score = l.LogPdf(x) - g.LogPdf(x);
            if (double.IsNaN(best) || score > bestScore)
            {
                best = x;
                bestScore = score;
            }
        }
        return best;
    }

    internal int Gamma(int n) => Math.Min((int)Math.Ceiling(Options.GammaFraction * n), Options.GammaMax);

    internal static (List<FrozenTrial> Below, List<FrozenTrial> Above) Split(IReadOnlyList<FrozenTrial> finished, StudyDirection direction, int nBelow)
    {
        var sign = direction == StudyDirection.Minimize ? 1.0 : -1.0;
        var complete = finished.Where(t => t.State == TrialState.Complete)
            .OrderBy(t => sign * t.Value!.Value).ThenBy(t => t.Number).ToList();
        var pruned = finished.Where(t => t.State == TrialState.Pruned)
            .OrderBy(t => t.LastIntermediate is null ? 1 : 0)
            .ThenBy(t => t.LastIntermediate is { } li ? -li.Step : 0)
            .ThenBy(t => t.LastIntermediate is { } li ? sign * li.Value : 0.0)
            .ThenBy(t => t.Number)
            .ToList();
        var ranked = complete.Concat(pruned).ToList();
        var below = ranked.Take(nBelow).OrderBy(t => t.Number).ToList();
        var above = ranked.Skip(nBelow).OrderBy(t => t.Number).ToList();
        return (below, above);
    }

    private static List<double> Observations(List<FrozenTrial> trials, string name, ParamDistribution distribution)
    {
        var values = new List<double>();
        foreach (var t in trials)
            if (t.Params.TryGetValue(name, out var v) && t.Distributions[name] == distribution)
                values.Add(v);
        return values;
    }

    private static bool IsPoint(ParamDistribution d) => d switch
    {
        FloatDistribution f => f.Low == f.High,
        IntDistribution i => i.Low == i.High,
        CategoricalDistribution c => c.Choices.Count == 1,
        _ => false,
    };
}
