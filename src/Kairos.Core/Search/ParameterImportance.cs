namespace Kairos.Search;

/// <summary>
/// Main-effect importance of each parameter: the share of the variance of the objective over
/// complete trials explained by that parameter alone (the correlation ratio eta squared), corrected
/// for the chance share a parameter with k groups explains by luck, like adjusted R squared:
/// adj = max(0, (eta2 - (k-1)/(n-1)) / (1 - (k-1)/(n-1))). Groups are the values of a categorical parameter
/// or of one taking at most min(10, n/4) distinct values, else about sqrt(n/2) (2..10) equal-count
/// bins of the parameter (in log space when log-scaled). Importances are the adjusted shares normalised to sum to 1.
/// Interactions are not credited to anyone (unlike fANOVA), and with a model-based sampler the
/// trials cluster near good values, which understates parameters already tuned: read it as a
/// ranking, not a decomposition. Fewer than 8 complete trials gives no estimate.
/// </summary>
public static class ParameterImportance
{
    public const int MinTrials = 8;

    public static IReadOnlyList<ParameterImportanceEntry> Compute(IReadOnlyList<FrozenTrial> trials)
    {
        var complete = trials.Where(t => t.State == TrialState.Complete && t.Value is { } v && double.IsFinite(v)).ToList();
        var names = complete.SelectMany(t => t.Params.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var raw = new List<(string Name, int N, int Groups, double Eta2, double Adjusted)>();
        foreach (var name in names)
        {
            var with = complete.Where(t => t.Params.ContainsKey(name)).ToList();
            if (with.Count < MinTrials) continue;
            var groups = Groups(with, name);
            var values = with.Select(t => t.Value!.Value).ToArray();
            var mean = values.Average();
            var total = values.Sum(v => (v - mean) * (v - mean));
            var between = groups.Sum(g =>
            {
                var m = g.Average(i => values[i]);
                return g.Count * (m - mean) * (m - mean);
            });
            var eta2 = total > 0 ? between / total : 0;
            var k = groups.Count;
            var chance = (k - 1.0) / (with.Count - 1.0);
            var adjusted = k < 2 || chance >= 1 ? 0 : Math.Max(0, (eta2 - chance) / (1 - chance));
            raw.Add((name, with.Count, k, eta2, adjusted));
        }
        var sum = raw.Sum(r => r.Adjusted);
        return raw
            .Select(r => new ParameterImportanceEntry(r.Name, sum > 0 ? r.Adjusted / sum : 0, r.Adjusted, r.Eta2, r.Groups, r.N))
            .OrderByDescending(e => e.Importance).ThenBy(e => e.Name, StringComparer.Ordinal)
            .ToList();
    }

    private static List<List<int>> Groups(List<FrozenTrial> trials, string name)
    {
        var distinct = trials.Select(t => t.Params[name]).Distinct().Count();
        var categorical = trials[0].Distributions[name] is CategoricalDistribution;
        if (categorical || distinct <= Math.Min(10, trials.Count / 4))
            return Enumerable.Range(0, trials.Count).GroupBy(i => trials[i].Params[name]).Select(g => g.ToList()).ToList();
        var log = trials[0].Distributions[name] is FloatDistribution { Log: true } or IntDistribution { Log: true };
        var bins = Math.Clamp((int)Math.Sqrt(trials.Count / 2.0), 2, 10);
        var order = Enumerable.Range(0, trials.Count)
            .OrderBy(i => log ? Math.Log(trials[i].Params[name]) : trials[i].Params[name]).ThenBy(i => i).ToList();
        return Enumerable.Range(0, bins)
            .Select(b => order.Skip(b * order.Count / bins).Take((b + 1) * order.Count / bins - b * order.Count / bins).ToList())
            .Where(g => g.Count > 0)
            .ToList();
    }
}
