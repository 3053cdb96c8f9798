using Kairos.Search;

namespace Kairos.Tests.Search;

public class ParameterImportanceTests
{
    private static readonly FloatDistribution A = new(0, 1, false);
    private static readonly FloatDistribution B = new(1e-3, 1, true);
    private static readonly CategoricalDistribution C = new(["u", "v"]);

    [Fact]
    public void Compute_OneParameterDrivesValue_ItDominates()
    {
        var rng = new SearchRandom(3);
        var trials = Enumerable.Range(0, 120).Select(i =>
        {
            var a = rng.NextDouble();
            var b = Math.Exp(Math.Log(1e-3) * rng.NextDouble());
            var c = (double)rng.NextInt(2);
            return SearchTrials.Complete(i, 10 * a * a + 0.05 * rng.NextDouble(), ("a", A, a), ("b", B, b), ("c", C, c));
        }).ToList();
        var result = ParameterImportance.Compute(trials);
        Assert.Equal(["a", "b", "c"], result.Select(e => e.Name).Order());
        Assert.Equal("a", result[0].Name);
        Assert.True(result[0].Importance > 0.9, $"a got {result[0].Importance}");
        Assert.True(result[0].AdjustedVarianceShare > 0.85);
        Assert.Equal(1.0, result.Sum(e => e.Importance), 1e-12);
        Assert.Equal(2, result.Single(e => e.Name == "c").Groups);
    }

    [Fact]
    public void Compute_CategoricalEffect_Found()
    {
        var rng = new SearchRandom(4);
        var trials = Enumerable.Range(0, 60).Select(i =>
        {
            var c = (double)rng.NextInt(2);
            return SearchTrials.Complete(i, c * 3 + rng.NextDouble(), ("a", A, rng.NextDouble()), ("c", C, c));
        }).ToList();
        Assert.Equal("c", ParameterImportance.Compute(trials)[0].Name);
    }

    [Fact]
    public void Compute_PureNoise_AdjustedSharesNearZero()
    {
        var rng = new SearchRandom(5);
        var trials = Enumerable.Range(0, 200).Select(i =>
            SearchTrials.Complete(i, rng.NextDouble(), ("a", A, rng.NextDouble()), ("b", B, Math.Exp(Math.Log(1e-3) * rng.NextDouble())))).ToList();
        Assert.All(ParameterImportance.Compute(trials), e => Assert.True(e.AdjustedVarianceShare < 0.05, $"{e.Name}: {e.AdjustedVarianceShare}"));
    }

    [Fact]
    public void Compute_TooFewTrials_Empty() =>
        Assert.Empty(ParameterImportance.Compute(Enumerable.Range(0, 7).Select(i => SearchTrials.Complete(i, i, ("a", A, i / 10.0))).ToList()));
}
