using Kairos.Errors;
using Kairos.Trees;

namespace Kairos.Tests.Trees;

public sealed class GbdtTrainerTests
{
    [Fact]
    public void Train_SameSeed_IdenticalModelText()
    {
        var (x, y) = SyntheticData.Make(3000, seed: 11);
        var (vx, vy) = SyntheticData.Make(1000, seed: 12);
        var parameters = new GbdtParameters { MaxIterations = 80, EarlyStoppingRounds = 20, Seed = 5 };

        using var first = GbdtTrainer.Train(x, y, vx, vy, parameters, [4]);
        using var second = GbdtTrainer.Train(x, y, vx, vy, parameters, [4]);
        using var otherSeed = GbdtTrainer.Train(x, y, vx, vy, parameters with { Seed = 6 }, [4]);

        Assert.Equal(first.ModelText, second.ModelText);
        Assert.NotEqual(first.ModelText, otherSeed.ModelText);
    }

    [Fact]
    public void Train_LearnableSignal_BeatsBaseRateOnHeldOutRows()
    {
        var (x, y) = SyntheticData.Make(5000, seed: 13);
        var (vx, vy) = SyntheticData.Make(1500, seed: 14);
        var (tx, ty) = SyntheticData.Make(1500, seed: 15);

        using var model = GbdtTrainer.Train(x, y, vx, vy, new GbdtParameters(), [4]);
        var p = model.PredictMargin(tx).Select(m => 1 / (1 + Math.Exp(-m))).ToArray();
        var rate = ty.Average();
        var baseline = SyntheticData.LogLoss(Enumerable.Repeat(rate, ty.Length).ToArray(), ty);

        Assert.True(SyntheticData.LogLoss(p, ty) < baseline - 0.05, $"model {SyntheticData.LogLoss(p, ty)} vs base rate {baseline}");
    }

    [Fact]
    public void Train_EarlyStopping_KeepsBestIterationAndStopsAfterPatience()
    {
        var (x, y) = SyntheticData.Make(2000, seed: 16);
        var (vx, vy) = SyntheticData.Make(600, seed: 17);
        var parameters = new GbdtParameters { LearningRate = 0.3, NumLeaves = 63, MaxDepth = -1, MinDataInLeaf = 5, EarlyStoppingRounds = 15, MaxIterations = 1000 };

        using var model = GbdtTrainer.Train(x, y, vx, vy, parameters);

        Assert.True(model.BestIteration < 200, $"best iteration {model.BestIteration}");
        Assert.Equal(model.BestIteration + 15, model.ValidationCurve.Count);
        Assert.Equal(model.ValidationCurve.Min(), model.BestValidationLoss);
        Assert.Equal(model.ValidationCurve[model.BestIteration - 1], model.BestValidationLoss);
        var p = model.PredictMargin(vx).Select(m => 1 / (1 + Math.Exp(-m))).ToArray();
        Assert.Equal(model.BestValidationLoss, SyntheticData.LogLoss(p, vy), 6);
    }

    [Fact]
    public void Train_IterationCap_StopsAtCap()
    {
        var (x, y) = SyntheticData.Make(1000, seed: 18);

        using var model = GbdtTrainer.Train(x, y, x, y, new GbdtParameters { MaxIterations = 7 });

        Assert.Equal(7, model.ValidationCurve.Count);
        Assert.Equal(7, model.BestIteration);
    }

    [Fact]
    public void Train_InvalidParameters_ReportsEveryProblem()
    {
        var (x, y) = SyntheticData.Make(100, seed: 19);
        var bad = new GbdtParameters { NumLeaves = 1, LearningRate = 0, FeatureFraction = 1.5, Threads = 0 };

        var e = Assert.Throws<ConfigException>(() => GbdtTrainer.Train(x, y, x, y, bad));

        Assert.Equal(4, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.StartsWith("num_leaves", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("learning_rate", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("feature_fraction", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("threads", StringComparison.Ordinal));
    }

    [Fact]
    public void PredictMargin_ColumnsInAnotherOrder_Throws()
    {
        var (x, y) = SyntheticData.Make(500, seed: 20);
        using var model = GbdtTrainer.Train(x, y, x, y, new GbdtParameters { MaxIterations = 5 });
        var swapped = new FeatureMatrix(x.Values, x.Rows, ["signal_b", "signal_a", "noise_c", "noise_d", "regime"]);

        var e = Assert.Throws<ArgumentException>(() => model.PredictMargin(swapped));

        Assert.Contains("signal_b", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainingRun_NoSplitPossible_KeepsTheConstantPriorModel()
    {
        var (x, y) = SyntheticData.Make(60, seed: 21);
        var parameters = new GbdtParameters { MinDataInLeaf = 500 };
        var p = parameters.ToLightGbmString([]);
        using var train = LightGbmDataset.Create(x, y, p);
        using var valid = LightGbmDataset.Create(x, y, p, train);
        using var run = new GbdtTrainingRun(train, valid, parameters, []);

        run.RunToEnd();
        using var model = run.ToModel();
        var margins = model.PredictMargin(x);
        var rate = y.Average();

        Assert.True(run.IsStopped);
        Assert.Equal(1, run.BestIteration);
        Assert.All(margins, m => Assert.Equal(Math.Log(rate / (1 - rate)), m, 6));
        Assert.Equal(SyntheticData.LogLoss(Enumerable.Repeat(rate, y.Length).ToArray(), y), run.BestLoss, 6);
    }
}
