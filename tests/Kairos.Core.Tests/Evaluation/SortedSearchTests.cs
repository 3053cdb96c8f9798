using Kairos.Evaluation.Statistics;

namespace Kairos.Tests.Evaluation;

/// <summary>numpy <c>searchsorted(side="left")</c>: isotonic interpolation, walk-forward windows, backtest periods and reliability bins rely on it.</summary>
public class SortedSearchTests
{
    [Fact]
    public void LowerBound_EveryValueAroundSortedValuesWithTies_CountsTheValuesStrictlyBelow()
    {
        double[] sorted = [-1.5, 0, 0, 0, 0.25, 2, 2, 7];
        double[] probes = [-3, -1.5, -1, 0, 0.1, 0.25, 1, 2, 5, 7, 8, double.NegativeInfinity, double.PositiveInfinity];

        foreach (var p in probes)
            Assert.Equal(sorted.Count(v => v < p), SortedSearch.LowerBound<double>(sorted, p));
    }

    [Fact]
    public void LowerBound_Empty_Zero()
    {
        Assert.Equal(0, SortedSearch.LowerBound(ReadOnlySpan<long>.Empty, 5L));
    }

    [Fact]
    public void LowerBound_UnixTimes_FirstBarAtOrAfter()
    {
        long[] times = [1_735_689_600, 1_735_689_900, 1_735_690_200];

        Assert.Equal(1, SortedSearch.LowerBound<long>(times, 1_735_689_900));
        Assert.Equal(2, SortedSearch.LowerBound<long>(times, 1_735_689_901));
        Assert.Equal(3, SortedSearch.LowerBound<long>(times, 1_735_690_201));
    }
}
