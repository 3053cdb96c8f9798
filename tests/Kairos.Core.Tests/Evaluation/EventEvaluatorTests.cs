using Kairos.Evaluation;

namespace Kairos.Tests.Evaluation;

public class EventEvaluatorTests
{
    [Fact]
    public void PredictedEvents_CrossingsFromBelow_AndFirstRowAtOrAbove()
    {
        Assert.Equal([0, 3, 6], EventEvaluator.PredictedEvents([0.6, 0.7, 0.2, 0.5, 0.9, 0.1, 0.55], 0.5));
        Assert.Equal([2], EventEvaluator.PredictedEvents([0.1, 0.4, 0.5, 0.5], 0.5));
    }

    [Fact]
    public void TrueEvents_BarsAndOnsets()
    {
        int[] y = [1, 1, 0, 1, 0, 0, 1, 1, 1];
        Assert.Equal([0, 1, 3, 6, 7, 8], EventEvaluator.TrueEvents(y, TrueEventRule.LabelBars));
        Assert.Equal([0, 3, 6], EventEvaluator.TrueEvents(y, TrueEventRule.LabelOnsets));
    }

    [Fact]
    public void Match_GreedyNearestWouldLoseAPair_DynamicProgrammeKeepsBoth()
    {
        // Predicted 10 and 13, true 12 and 9, k = 3. Nearest-first would pair 13-12 (offset 1) and 10-9 (offset 1): fine.
        // Predicted 10, 12; true 11, 14 (k = 2): 10 can only take 11; 12 takes 14. Greedy by distance (12-11) would leave 10 unmatched.
        var pairs = EventEvaluator.Match([10, 12], [11, 14], 2);

        Assert.Equal([(0, 0), (1, 1)], pairs);
    }

    [Fact]
    public void Match_EqualCount_PrefersLeastTotalOffset()
    {
        // One predicted at 5; true at 3 and 6 (k = 3): pick 6 (|offset| 1) over 3 (|offset| 2).
        Assert.Equal([(0, 1)], EventEvaluator.Match([5], [3, 6], 3));
        // Tie on |offset| (true at 4 and 6): the earlier true event.
        Assert.Equal([(0, 0)], EventEvaluator.Match([5], [4, 6], 3));
    }

    [Fact]
    public void Evaluate_HandComputedSeries()
    {
        // Rows 0..19. Signal crosses 0.5 upward at rows 2, 9, 17 -> 3 predicted events.
        double[] p = new double[20];
        foreach (var r in new[] { 2, 3, 9, 17, 18 }) p[r] = 0.8;
        // True events (label bars): rows 4, 8, 14.
        int[] y = new int[20];
        foreach (var r in new[] { 4, 8, 14 }) y[r] = 1;

        var m = EventEvaluator.Evaluate(y, p, new EventOptions { Threshold = 0.5, Window = 3 });

        // Predicted 2 -> true 4 (offset -2, lead); predicted 9 -> true 8 (offset +1, lag); predicted 17 -> 14 (offset +3).
        Assert.Equal(3, m.PredictedEventCount);
        Assert.Equal(3, m.TrueEventCount);
        Assert.Equal(3, m.PredictedHits);
        Assert.Equal(3, m.TrueHits);
        Assert.Equal(1.0, m.HitRate);
        Assert.Equal(3, m.MatchedPairs);
        Assert.Equal(1.0, m.PointerF1);
        Assert.Equal([0, 1, 0, 0, 1, 0, 1], m.OffsetCounts);
        Assert.Equal(2.0 / 3, m.MeanOffset!.Value, 1e-15);
        Assert.Equal(1.0, m.MedianOffset);
    }

    [Fact]
    public void Evaluate_OneToOne_TwoPredictionsNearOneTrueEvent()
    {
        // Predicted at 1 and 4 (signal dips between), one true event at 2, k = 3: both are hits, one pair.
        double[] p = [0, 0.9, 0, 0, 0.9, 0];
        int[] y = [0, 0, 1, 0, 0, 0];

        var m = EventEvaluator.Evaluate(y, p, new EventOptions { Window = 3 });

        Assert.Equal(2, m.PredictedHits);
        Assert.Equal(1.0, m.HitRate);
        Assert.Equal(1, m.MatchedPairs);
        Assert.Equal(0.5, m.PointerPrecision);
        Assert.Equal(1.0, m.PointerRecall);
        Assert.Equal(2 * 0.5 / 1.5, m.PointerF1!.Value, 1e-15);
        Assert.Equal(-1.0, m.MeanOffset);
    }

    [Fact]
    public void Evaluate_NoPredictedEvents_RatesAreNull()
    {
        var m = EventEvaluator.Evaluate([1, 0, 1], [0.1, 0.2, 0.3], new EventOptions());

        Assert.Null(m.HitRate);
        Assert.Null(m.PointerPrecision);
        Assert.Equal(0.0, m.PointerRecall);
        Assert.Null(m.PointerF1);
        Assert.Null(m.MeanOffset);
    }

    [Fact]
    public void Evaluate_Predictions_OrdersByTimeAndNeverMatchesAcrossSymbols()
    {
        // Shuffled rows; symbol A has a crossing at t=200 and a true event at t=300 (1 bar later);
        // symbol B has only a true event. Offsets count rows of each symbol's own series.
        var predictions = new Predictions("memory",
            probabilities: [0.9, 0.1, 0.1, 0.1, 0.1],
            labels: [0, 1, 0, 1, 0],
            timestamps: [200, 300, 100, 200, 100],
            symbols: ["A", "A", "A", "B", "B"]);

        var m = EventEvaluator.Evaluate(predictions, new EventOptions { Window = 1 });

        Assert.Equal(1, m.PredictedEventCount);
        Assert.Equal(2, m.TrueEventCount);
        Assert.Equal(1, m.MatchedPairs);
        Assert.Equal(-1.0, m.MeanOffset);
    }
}
