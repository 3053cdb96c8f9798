using Kairos.Features;

namespace Kairos.Replay;

/// <summary>
/// Predicted <c>p_long</c> of every candidate bar by session, volatility regime and trend regime
/// (counts, means, quantiles), each with a test of whether the differences between buckets exceed a
/// permutation baseline: evidence that the model uses (or ignores) its context features.
/// </summary>
public sealed record ContextTelemetry(ContextGrouping Session, ContextGrouping VolRegime, ContextGrouping TrendRegime)
{
    /// <summary>True when any grouping's test says the model uses that context; null when no test could run.</summary>
    public bool? UsesContext
    {
        get
        {
            var tests = new[] { Session.Test, VolRegime.Test, TrendRegime.Test }.OfType<ContextUsageTest>().ToList();
            return tests.Count == 0 ? null : tests.Any(t => t.UsesContext);
        }
    }

    public IEnumerable<ContextGrouping> Groupings => [Session, VolRegime, TrendRegime];

    public static ContextTelemetry Compute(ReadOnlySpan<double> pLong, ReadOnlySpan<int> session, ReadOnlySpan<int> volRegime,
        ReadOnlySpan<int> trendRegime, ReplayOptions options)
    {
        if (session.Length != pLong.Length || volRegime.Length != pLong.Length || trendRegime.Length != pLong.Length)
            throw new ArgumentException("p_long and the context columns must have the same length");
        // Each grouping gets its own seed, derived from the configured one, so the three tests are independent.
        return new ContextTelemetry(
            Group("session", SessionTable.Names, pLong, session, options, options.Seed),
            Group("vol_regime", ContextValues.VolRegimeNames, pLong, volRegime, options, options.Seed + 1),
            Group("trend_regime", ContextValues.TrendRegimeNames, pLong, trendRegime, options, options.Seed + 2));
    }

    private static ContextGrouping Group(string name, IReadOnlyList<string> names, ReadOnlySpan<double> pLong, ReadOnlySpan<int> ids,
        ReplayOptions options, int seed)
    {
        var k = names.Count;
        var members = new List<double>[k];
        for (var g = 0; g < k; g++) members[g] = [];
        for (var i = 0; i < pLong.Length; i++)
        {
            if (ids[i] < 0 || ids[i] >= k)
                throw new ArgumentException($"{name} id {ids[i]} of candidate {i} is outside 0..{k - 1}");
            members[ids[i]].Add(pLong[i]);
        }
        var buckets = new ContextBucket[k];
        for (var g = 0; g < k; g++) buckets[g] = new ContextBucket(g, names[g], DistributionSummary.Of(members[g].ToArray()));
        var nonEmpty = members.Count(m => m.Count > 0);
        if (nonEmpty < 2)
            return new ContextGrouping(name, buckets, null, $"fewer than two {name} buckets have candidates: no test");

        var statistic = PermutationTest.BetweenBucketVariance(pLong, ids, k);
        var total = PermutationTest.TotalVariance(pLong);
        var baseline = PermutationTest.Baseline(pLong, ids, k, options.Permutations, seed);
        var atLeast = baseline.Count(b => b >= statistic);
        var pValue = (1.0 + atLeast) / (1.0 + baseline.Length);
        var eta = total > 0 ? statistic / total : 0;
        var means = buckets.Where(b => b.PLong.Count > 0).Select(b => b.PLong.Mean!.Value).ToList();
        var sortedBaseline = baseline.ToArray();
        Array.Sort(sortedBaseline);
        var test = new ContextUsageTest
        {
            Statistic = statistic,
            EtaSquared = eta,
            MaxMeanGap = means.Max() - means.Min(),
            PermutationMean = baseline.Average(),
            PermutationP95 = DistributionSummary.Quantile(sortedBaseline, 0.95),
            PValue = pValue,
            Permutations = options.Permutations,
            Seed = seed,
            Alpha = options.ContextAlpha,
            MinEffect = options.MinContextEffect,
            UsesContext = pValue <= options.ContextAlpha && eta >= options.MinContextEffect,
        };
        return new ContextGrouping(name, buckets, test, null);
    }
}
