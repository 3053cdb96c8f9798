using Kairos.Trees;

namespace Kairos.Tests.Trees;

public sealed class GbdtTrainingRunTests
{
    private static readonly GbdtParameters Parameters = new() { MaxIterations = 60, EarlyStoppingRounds = 60, MinDataInLeaf = 20, Threads = 1 };

    [Fact]
    public void Curve_EachIteration_IsTheLogLossOfTheValidationPredictionsAtThatIteration()
    {
        var (vx, vy) = SyntheticData.Make(1000, seed: 22);
        using var data = new Datasets(seed: 21, vx, vy);
        using var run = new GbdtTrainingRun(data.Train, data.Valid, Parameters, [4]);

        run.RunToEnd();
        using var model = run.ToModel();
        using var booster = LightGbmBooster.Load(model.ModelText);

        Assert.Equal(60, run.Curve.Count);
        foreach (var iteration in new[] { 1, 7, 30, 60 }.Where(i => i <= run.BestIteration))
            Assert.Equal(SyntheticData.LogLoss(booster.PredictProbability(vx, iteration), vy), run.Curve[iteration - 1], 12);
        Assert.Equal(run.Curve.Min(), run.BestLoss);
    }

    [Fact]
    public void Curve_AnotherBoosterOnTwoThreadsCreatedMeanwhile_IsTheSameToTheLastDigit()
    {
        // LightGBM's thread count is process-wide: a booster created on 2 threads makes every booster of the process
        // evaluate on 2. The run's losses are summed in row order, so a search's values and early stopping do not
        // depend on what else the process is training (ci17: a search test's value moved in its 15th digit).
        var (vx, vy) = SyntheticData.Make(20_000, seed: 24);
        using var data = new Datasets(seed: 23, vx, vy);

        using var alone = new GbdtTrainingRun(data.Train, data.Valid, Parameters, [4]);
        alone.RunToEnd();
        using var first = new GbdtTrainingRun(data.Train, data.Valid, Parameters, [4]);
        using var other = new GbdtTrainingRun(data.Train, data.Valid, Parameters with { Threads = 2 }, [4]);
        while (!first.IsStopped || !other.IsStopped)
        {
            first.Step();
            other.Step();
        }

        Assert.Equal(alone.Curve, first.Curve);
        Assert.Equal(alone.Curve, other.Curve);
    }

    /// <summary>3,000 synthetic training rows of a seed and the given validation rows, binned alike.</summary>
    private sealed class Datasets : IDisposable
    {
        public Datasets(int seed, FeatureMatrix vx, int[] vy)
        {
            var (x, y) = SyntheticData.Make(3000, seed);
            var p = Parameters.ToLightGbmString([4]);
            Train = LightGbmDataset.Create(x, y, p);
            Valid = LightGbmDataset.Create(vx, vy, p, Train);
        }

        public LightGbmDataset Train { get; }
        public LightGbmDataset Valid { get; }

        public void Dispose()
        {
            Valid.Dispose();
            Train.Dispose();
        }
    }
}
