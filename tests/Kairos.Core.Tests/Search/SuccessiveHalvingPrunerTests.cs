using Kairos.Search;
using Kairos.Search.Pruners;

namespace Kairos.Tests.Search;

public class SuccessiveHalvingPrunerTests
{
    [Fact]
    public void ShouldPrune_BelowFirstRung_FalseWithoutRecording()
    {
        var pruner = new SuccessiveHalvingPruner(new PrunerOptions { Kind = PrunerKind.SuccessiveHalving, MinResource = 4 });
        var ctx = new PruningContext(StudyDirection.Minimize, 0, new Dictionary<long, double> { [3] = 1.0 }, [],
            (_, _) => throw new InvalidOperationException("no rung before step 4"), 0);
        Assert.False(pruner.ShouldPrune(ctx));
    }

    [Fact]
    public void ShouldPrune_AtRung_KeepsTopQuarter()
    {
        var options = new PrunerOptions { Kind = PrunerKind.SuccessiveHalving, MinResource = 1, ReductionFactor = 4 };
        var recorded = new Dictionary<int, List<double>> { [0] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7] };
        IReadOnlyList<double> Record(int rung, double value)
        {
            if (!recorded.TryGetValue(rung, out var list)) recorded[rung] = list = [];
            list.Add(value);
            return list.ToList();
        }
        // 8 values at rung 0 -> promotable index 8/4 - 1 = 1 -> must be <= 0.2.
        var bad = new PruningContext(StudyDirection.Minimize, 8, new Dictionary<long, double> { [1] = 0.25 }, [], Record, 0);
        Assert.True(new SuccessiveHalvingPruner(options).ShouldPrune(bad));
        recorded[0].Remove(0.25);
        var good = new PruningContext(StudyDirection.Minimize, 9, new Dictionary<long, double> { [1] = 0.15 }, [], Record, 0);
        Assert.False(new SuccessiveHalvingPruner(options).ShouldPrune(good));
    }

    [Theory]
    [InlineData(0.2, new[] { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.2 }, true)]
    [InlineData(0.3, new[] { 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.3 }, false)]
    [InlineData(0.9, new[] { 0.9 }, true)]
    public void Promotable_Minimize_TopOneOverFactor(double value, double[] competing, bool expected) =>
        Assert.Equal(expected, SuccessiveHalvingPruner.Promotable(value, competing, 4, StudyDirection.Minimize));

    [Fact]
    public void Promotable_Maximize_TopOneOverFactor()
    {
        double[] competing = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.65];
        Assert.True(SuccessiveHalvingPruner.Promotable(0.65, competing, 4, StudyDirection.Maximize));
        Assert.False(SuccessiveHalvingPruner.Promotable(0.5, competing, 4, StudyDirection.Maximize));
    }
}
