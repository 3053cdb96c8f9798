using Kairos.Trees;

namespace Kairos.Tests.Trees;

public sealed class LightGbmRowPredictorTests
{
    private static readonly GbdtParameters Parameters = new() { MaxIterations = 60, EarlyStoppingRounds = 10, MinDataInLeaf = 20 };

    [Fact]
    public void PredictRaw_EveryRow_EqualsBatchPredictRawExactly()
    {
        var (x, y) = SyntheticData.Make(2000, seed: 6);
        var (vx, vy) = SyntheticData.Make(600, seed: 7);
        using var model = GbdtTrainer.Train(x, y, vx, vy, Parameters);
        using var booster = LightGbmBooster.Load(model.ModelText);
        using var row = booster.CreateRowPredictor();

        var batch = booster.PredictRaw(vx);
        var single = Enumerable.Range(0, vx.Rows).Select(i => row.PredictRaw(vx.Values.AsSpan(i * vx.Columns, vx.Columns))).ToArray();

        Assert.Equal(batch, single);
        Assert.True(batch.Max() - batch.Min() > 1, "raw scores should spread over more than one logit");
    }

    [Fact]
    public void PredictRaw_WrongLengthOrDisposed_Throws()
    {
        var (x, y) = SyntheticData.Make(1000, seed: 8);
        using var model = GbdtTrainer.Train(x, y, x, y, Parameters);
        using var booster = LightGbmBooster.Load(model.ModelText);
        var row = booster.CreateRowPredictor();

        Assert.Throws<ArgumentException>(() => row.PredictRaw(new float[x.Columns - 1]));
        row.Dispose();
        Assert.Throws<ObjectDisposedException>(() => row.PredictRaw(new float[x.Columns]));
    }
}
