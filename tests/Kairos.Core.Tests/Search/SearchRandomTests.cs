using Kairos.Search;

namespace Kairos.Tests.Search;

public class SearchRandomTests
{
    [Fact]
    public void For_SameSeedTrialAndName_GivesSameSequence()
    {
        var a = SearchRandom.For(7, 3, "eta", "tpe");
        var b = SearchRandom.For(7, 3, "eta", "tpe");
        for (var i = 0; i < 100; i++) Assert.Equal(a.Next(), b.Next());
    }

    [Fact]
    public void For_DifferentSeedTrialOrName_GivesDifferentSequences()
    {
        var first = SearchRandom.For(7, 3, "eta", "tpe").Next();
        Assert.NotEqual(first, SearchRandom.For(8, 3, "eta", "tpe").Next());
        Assert.NotEqual(first, SearchRandom.For(7, 4, "eta", "tpe").Next());
        Assert.NotEqual(first, SearchRandom.For(7, 3, "lambda", "tpe").Next());
        Assert.NotEqual(first, SearchRandom.For(7, 3, "eta", "random").Next());
    }

    [Fact]
    public void NextDouble_ManyDraws_UniformOnUnitInterval()
    {
        var rng = new SearchRandom(42);
        var n = 200_000;
        var sum = 0.0;
        var bins = new int[10];
        for (var i = 0; i < n; i++)
        {
            var u = rng.NextDouble();
            Assert.InRange(u, 0.0, 1.0 - 1e-17);
            sum += u;
            bins[(int)(u * 10)]++;
        }
        Assert.Equal(0.5, sum / n, 0.005);
        Assert.All(bins, b => Assert.InRange(b, n / 10 * 0.97, n / 10 * 1.03));
    }
}
