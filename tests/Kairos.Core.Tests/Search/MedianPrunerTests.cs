using Kairos.Search;
using Kairos.Search.Pruners;

namespace Kairos.Tests.Search;

public class MedianPrunerTests
{
    private static PruningContext Context(IReadOnlyDictionary<long, double> own, IReadOnlyList<FrozenTrial> history) =>
        new(StudyDirection.Minimize, 99, own, history, (_, _) => throw new InvalidOperationException("median pruner records no rungs"), 0);

    private static List<FrozenTrial> History(int n) => Enumerable.Range(0, n)
        .Select(i => SearchTrials.WithCurve(i, TrialState.Complete, i, new Dictionary<long, double> { [0] = 1.0 + i, [1] = 0.5 + i }))
        .ToList();

    [Fact]
    public void ShouldPrune_WorseThanMedianAtStep_True()
    {
        // Complete trials' values at step 1: 0.5, 1.5, ..., 5.5 -> median 3.0; our best so far 3.2.
        var pruner = new MedianPruner(new PrunerOptions());
        Assert.True(pruner.ShouldPrune(Context(new Dictionary<long, double> { [0] = 4.0, [1] = 3.2 }, History(6))));
        Assert.False(pruner.ShouldPrune(Context(new Dictionary<long, double> { [0] = 4.0, [1] = 2.9 }, History(6))));
    }

    [Fact]
    public void ShouldPrune_BestSoFarCounts_NotJustLastValue()
    {
        // Best over steps (1.0 at step 0) is below the step-1 median even though the last value is not.
        var pruner = new MedianPruner(new PrunerOptions());
        Assert.False(pruner.ShouldPrune(Context(new Dictionary<long, double> { [0] = 1.0, [1] = 9.0 }, History(6))));
    }

    [Fact]
    public void ShouldPrune_BeforeStartupOrWarmup_False()
    {
        var own = new Dictionary<long, double> { [0] = 100, [1] = 100 };
        Assert.False(new MedianPruner(new PrunerOptions()).ShouldPrune(Context(own, History(4))));
        Assert.False(new MedianPruner(new PrunerOptions { NWarmupSteps = 2 }).ShouldPrune(Context(own, History(6))));
        Assert.True(new MedianPruner(new PrunerOptions()).ShouldPrune(Context(own, History(6))));
    }

    [Fact]
    public void ShouldPrune_OffInterval_False()
    {
        var pruner = new MedianPruner(new PrunerOptions { IntervalSteps = 2 });
        Assert.False(pruner.ShouldPrune(Context(new Dictionary<long, double> { [0] = 100, [1] = 100 }, History(6))));
    }

    [Fact]
    public void Percentile_EvenCount_InterpolatesLikeNumpy()
    {
        Assert.Equal(2.5, MedianPruner.Percentile([4, 1, 3, 2], 50));
        Assert.Equal(1.75, MedianPruner.Percentile([4, 1, 3, 2], 25));
    }
}
