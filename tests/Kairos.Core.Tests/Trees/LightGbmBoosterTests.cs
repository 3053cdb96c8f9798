using Kairos.Trees;

namespace Kairos.Tests.Trees;

public sealed class LightGbmBoosterTests
{
    private static readonly GbdtParameters Parameters = new() { MaxIterations = 60, EarlyStoppingRounds = 10, MinDataInLeaf = 20 };

    [Fact]
    public void EvaluateAndProbabilitiesAt_AfterTraining_AgreeWithPredictions()
    {
        var (x, y) = SyntheticData.Make(3000, seed: 1);
        var (vx, vy) = SyntheticData.Make(1000, seed: 2);
        var p = Parameters.ToLightGbmString([4]);
        using var train = LightGbmDataset.Create(x, y, p);
        using var valid = LightGbmDataset.Create(vx, vy, p, train);
        using var booster = LightGbmBooster.Create(train, p);
        booster.AddValidation(valid);
        for (var i = 0; i < 25; i++) Assert.True(booster.UpdateOneIteration());

        var reported = booster.Evaluate(1);
        var probabilities = booster.PredictProbability(vx);
        var kept = booster.ProbabilitiesAt(1);

        Assert.Single(reported);
        Assert.Equal(25, booster.CurrentIteration);
        Assert.Equal(SyntheticData.LogLoss(probabilities, vy), reported[0], 6);
        // The probabilities LightGBM keeps for the validation rows while training are the predicted ones.
        Assert.Equal(1000, kept.Length);
        for (var i = 0; i < kept.Length; i++) Assert.Equal(probabilities[i], kept[i], 12);
        Assert.Equal(vy.Select(v => (byte)v), valid.Labels);
    }

    [Fact]
    public void PredictRaw_SigmoidOfRaw_EqualsProbability()
    {
        var (x, y) = SyntheticData.Make(2000, seed: 3);
        using var model = GbdtTrainer.Train(x, y, x, y, Parameters);
        using var booster = LightGbmBooster.Load(model.ModelText);

        var raw = booster.PredictRaw(x);
        var probability = booster.PredictProbability(x);

        for (var i = 0; i < raw.Length; i += 97)
            Assert.Equal(1 / (1 + Math.Exp(-raw[i])), probability[i], 12);
        Assert.True(raw.Max() - raw.Min() > 1, "raw scores should spread over more than one logit");
    }

    [Fact]
    public void SaveToString_LoadedInFreshBooster_PredictsIdentically()
    {
        var (x, y) = SyntheticData.Make(2000, seed: 4);
        var (vx, vy) = SyntheticData.Make(800, seed: 5);
        using var model = GbdtTrainer.Train(x, y, vx, vy, Parameters);

        using var reloaded = LightGbmBooster.Load(model.ModelText);
        var again = reloaded.SaveToString();

        Assert.StartsWith("tree\nversion=v4", model.ModelText, StringComparison.Ordinal);
        Assert.Contains("feature_names=signal_a signal_b noise_c noise_d regime", model.ModelText, StringComparison.Ordinal);
        Assert.Equal(model.PredictMargin(vx), reloaded.PredictRaw(vx));
        Assert.Equal(5, reloaded.FeatureCount);
        Assert.Contains($"Tree={model.BestIteration - 1}\n", again, StringComparison.Ordinal);
        Assert.DoesNotContain($"Tree={model.BestIteration}\n", again, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_UnknownObjective_ThrowsWithLightGbmMessage()
    {
        var (x, y) = SyntheticData.Make(200, seed: 6);
        using var train = LightGbmDataset.Create(x, y, "verbosity=-1");

        var e = Assert.Throws<LightGbmException>(() => LightGbmBooster.Create(train, "objective=no_such_objective verbosity=-1"));

        Assert.Equal("LGBM_BoosterCreate", e.Call);
        Assert.Contains("no_such_objective", e.NativeMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_GarbageText_ThrowsLightGbmException()
    {
        var e = Assert.Throws<LightGbmException>(() => LightGbmBooster.Load("this is not a model"));

        Assert.Equal("LGBM_BoosterLoadModelFromString", e.Call);
        Assert.False(string.IsNullOrWhiteSpace(e.NativeMessage));
    }

    [Fact]
    public void PredictRaw_WrongColumnCount_Throws()
    {
        var (x, y) = SyntheticData.Make(500, seed: 7);
        using var model = GbdtTrainer.Train(x, y, x, y, Parameters);
        using var booster = LightGbmBooster.Load(model.ModelText);
        var narrow = new FeatureMatrix(new float[10 * 3], 10, ["a", "b", "c"]);

        Assert.Throws<ArgumentException>(() => booster.PredictRaw(narrow));
    }

    [Fact]
    public void FeatureImportanceGain_SignalFeatures_OutweighNoise()
    {
        var (x, y) = SyntheticData.Make(4000, seed: 8);
        var (vx, vy) = SyntheticData.Make(1000, seed: 9);
        using var model = GbdtTrainer.Train(x, y, vx, vy, Parameters, [4]);

        var gain = model.GainImportance;

        Assert.Equal(5, gain.Count);
        Assert.True(gain[0] > 5 * gain[2] && gain[0] > 5 * gain[3], $"gain {string.Join(", ", gain)}");
        Assert.True(gain[1] > gain[2] && gain[1] > gain[3], $"gain {string.Join(", ", gain)}");
    }

    [Fact]
    public void Dispose_ThenUse_ThrowsObjectDisposed()
    {
        var (x, y) = SyntheticData.Make(300, seed: 10);
        using var model = GbdtTrainer.Train(x, y, x, y, Parameters);
        var booster = LightGbmBooster.Load(model.ModelText);
        booster.Dispose();

        Assert.Throws<ObjectDisposedException>(() => booster.PredictRaw(x));
    }
}
