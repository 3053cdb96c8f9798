using Kairos.Search;
using Kairos.Search.Samplers;

namespace Kairos.Tests.Search;

public class TpeSamplerTests
{
    private static readonly FloatDistribution X = new(-5, 5, false);

    [Fact]
    public void Sample_SameContext_SameValue()
    {
        var history = Enumerable.Range(0, 20).Select(i => SearchTrials.Complete(i, i, ("x", X, -5 + i * 0.5))).ToList();
        var ctx = new SamplingContext(11, 20, StudyDirection.Minimize, history);
        var s = new TpeSampler(new TpeOptions());
        Assert.Equal(s.Sample(ctx, "x", X), s.Sample(ctx, "x", X));
        Assert.NotEqual(s.Sample(ctx, "x", X), s.Sample(ctx with { Seed = 12 }, "x", X));
    }

    [Fact]
    public void Sample_BeforeStartupTrials_DrawsFromPrior()
    {
        var history = Enumerable.Range(0, 9).Select(i => SearchTrials.Complete(i, i, ("x", X, 4.9))).ToList();
        var ctx = new SamplingContext(3, 9, StudyDirection.Minimize, history);
        var expected = new RandomSampler();
        // With 9 < 10 finished trials TPE must not use the model: same value as a prior draw from its stream.
        var v = new TpeSampler(new TpeOptions()).Sample(ctx, "x", X);
        Assert.Equal(RandomSampler.Draw(SearchRandom.For(3, 9, "x", "tpe"), X), v);
        Assert.NotEqual(expected.Sample(ctx, "x", X), v);
    }

    [Fact]
    public void Sample_GoodRegionKnown_ProposesNearGoodTrials()
    {
        // Value = |x - 3|: the good trials sit near 3; the model should propose there most of the time.
        var rng = new SearchRandom(5);
        var history = Enumerable.Range(0, 60).Select(i =>
        {
            var x = -5 + 10 * rng.NextDouble();
            return SearchTrials.Complete(i, Math.Abs(x - 3), ("x", X, x));
        }).ToList();
        var s = new TpeSampler(new TpeOptions());
        var proposals = Enumerable.Range(60, 200).Select(n => s.Sample(new SamplingContext(1, n, StudyDirection.Minimize, history), "x", X)).ToList();
        var near = proposals.Count(x => Math.Abs(x - 3) < 1.5) / 200.0;
        Assert.True(near > 0.7, $"only {near:P0} of proposals within 1.5 of the optimum");
    }

    [Fact]
    public void Sample_Maximize_ProposesNearHighValues()
    {
        var rng = new SearchRandom(9);
        var history = Enumerable.Range(0, 60).Select(i =>
        {
            var x = -5 + 10 * rng.NextDouble();
            return SearchTrials.Complete(i, -Math.Abs(x + 2), ("x", X, x));
        }).ToList();
        var s = new TpeSampler(new TpeOptions());
        var proposals = Enumerable.Range(60, 100).Select(n => s.Sample(new SamplingContext(1, n, StudyDirection.Maximize, history), "x", X)).ToList();
        Assert.True(proposals.Count(x => Math.Abs(x + 2) < 1.5) > 70);
    }

    [Fact]
    public void Split_PrunedTrials_RankAfterCompleteByFurthestStep()
    {
        var trials = new List<FrozenTrial>
        {
            SearchTrials.Complete(0, 5.0),
            SearchTrials.WithCurve(1, TrialState.Pruned, 0.1, new Dictionary<long, double> { [3] = 0.1 }),
            SearchTrials.WithCurve(2, TrialState.Pruned, 0.9, new Dictionary<long, double> { [9] = 0.9 }),
            SearchTrials.Complete(3, 7.0),
            SearchTrials.WithCurve(4, TrialState.Pruned, null, new Dictionary<long, double>()),
        };
        var (below, above) = TpeSampler.Split(trials, StudyDirection.Minimize, 3);
        Assert.Equal([0, 2, 3], below.Select(t => t.Number));
        Assert.Equal([1, 4], above.Select(t => t.Number));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 1)]
    [InlineData(11, 2)]
    [InlineData(240, 24)]
    [InlineData(1000, 25)]
    public void Gamma_TrialCounts_MatchOptunaDefault(int n, int expected) =>
        Assert.Equal(expected, new TpeSampler(new TpeOptions()).Gamma(n));

    [Fact]
    public void Sample_MixedSpace_EveryValueLegal()
    {
        var f = new FloatDistribution(1e-3, 10, true);
        var i = new IntDistribution(1, 1000, true);
        var j = new IntDistribution(2, 9, false);
        var c = new CategoricalDistribution(["gbdt", "dart", "goss"]);
        var rng = new SearchRandom(2);
        var history = Enumerable.Range(0, 40).Select(n => SearchTrials.Complete(n, rng.NextDouble(),
            ("f", f, RandomSampler.Draw(rng, f)), ("i", i, RandomSampler.Draw(rng, i)),
            ("j", j, RandomSampler.Draw(rng, j)), ("c", c, RandomSampler.Draw(rng, c)))).ToList();
        var s = new TpeSampler(new TpeOptions());
        for (var n = 40; n < 140; n++)
        {
            var ctx = new SamplingContext(4, n, StudyDirection.Minimize, history);
            Assert.True(f.Contains(s.Sample(ctx, "f", f)));
            Assert.True(i.Contains(s.Sample(ctx, "i", i)));
            Assert.True(j.Contains(s.Sample(ctx, "j", j)));
            Assert.True(c.Contains(s.Sample(ctx, "c", c)));
        }
    }

    [Fact]
    public void Sample_SequentialSearch_BeatsRandomOnAverageOverSeeds()
    {
        // A 4-parameter objective with a narrow optimum, 60 trials, 6 seeds: TPE's mean best value
        // must be clearly below random search's.
        var tpe = new List<double>();
        var random = new List<double>();
        for (var seed = 0; seed < 6; seed++)
        {
            tpe.Add(Search(new TpeSampler(new TpeOptions()), seed));
            random.Add(Search(new RandomSampler(), seed));
        }
        Assert.True(tpe.Average() < 0.5 * random.Average(), $"TPE {tpe.Average():G4} vs random {random.Average():G4}");
    }

    private static double Search(ISampler sampler, long seed)
    {
        var a = new FloatDistribution(-10, 10, false);
        var b = new FloatDistribution(1e-4, 1, true);
        var k = new IntDistribution(1, 50, false);
        var c = new CategoricalDistribution(["p", "q", "r", "s"]);
        var history = new List<FrozenTrial>();
        for (var n = 0; n < 60; n++)
        {
            var ctx = new SamplingContext(seed, n, StudyDirection.Minimize, history.ToList());
            var va = sampler.Sample(ctx, "a", a);
            var vb = sampler.Sample(ctx, "b", b);
            var vk = sampler.Sample(ctx, "k", k);
            var vc = sampler.Sample(ctx, "c", c);
            var value = Math.Pow(va - 2.5, 2) + Math.Pow(Math.Log10(vb) + 2, 2) + Math.Pow((vk - 37) / 5.0, 2) + (vc == 2 ? 0 : 3);
            history.Add(SearchTrials.Complete(n, value, ("a", a, va), ("b", b, vb), ("k", k, vk), ("c", c, vc)));
        }
        return history.Min(t => t.Value!.Value);
    }
}
